package dev.coffer.server.service.kernel;

import dev.coffer.server.domain.SecretHolder;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.ScopeRepository;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds what a secret belongs to (its application or scope), whose owner the
 * {@link AccessPolicy} consults. Stored credentials belong to neither.
 */
public final class SecretHolders {

  private final ApplicationRepository apps;
  private final ScopeRepository scopes;

  public SecretHolders(ApplicationRepository apps, ScopeRepository scopes) {
    this.apps = Objects.requireNonNull(apps, "apps");
    this.scopes = Objects.requireNonNull(scopes, "scopes");
  }

  /** The holder of {@code m}, or null when it has none (or it no longer exists). */
  public SecretHolder of(SecretMetadata m) {
    if (m.holderId().isEmpty()) {
      return null;
    }
    return find(m.tenantId(), m.ofScope() ? SecretParent.ofScope(m.holderId())
        : SecretParent.application(m.holderId())).orElse(null);
  }

  /** The application or scope {@code parent} names, in {@code tenantId}. */
  public Optional<? extends SecretHolder> find(String tenantId, SecretParent parent) {
    if (parent.scope()) {
      return scopes.get(tenantId, parent.id());
    }
    return apps.get(tenantId, parent.id());
  }
}
