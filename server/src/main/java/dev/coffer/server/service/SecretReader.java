package dev.coffer.server.service;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.PrivateKeyPem;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.store.records.GrantRepository;
import java.time.Clock;

/**
 * Reveals vaulted values to the readers {@link AccessPolicy#reveal} allows (the
 * pre-approved owner, holders of an active grant), checked at the moment of the read. Fails closed on audit: the value is returned only after its read is
 * durably recorded. A value that fails to decrypt is DATA_LOSS for that secret alone.
 */
public final class SecretReader {

  private static final int MAX_GRANTS_CHECKED = 100;

  private final SecretService secrets;
  private final GrantRepository grants;
  private final EnvelopeCipher cipher;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public SecretReader(SecretService secrets, GrantRepository grants, EnvelopeCipher cipher,
      Governance gov) {
    this.secrets = secrets;
    this.grants = grants;
    this.cipher = cipher;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * A revealed value as a response shows it: for a signing key, {@code value} is the private
   * key as PKCS#8 PEM and {@code privateJwk} the same key as a JWK; otherwise
   * {@code privateJwk} is null. Close it after sending.
   */
  public record Revealed(SecretValue value, SecretValue privateJwk) implements AutoCloseable {
    @Override
    public void close() {
      value.close();
      if (privateJwk != null) {
        privateJwk.close();
      }
    }
  }

  /** As {@link #reveal}, in the forms a response shows (PEM and JWK for a signing key). */
  public Revealed revealForResponse(CallContext ctx, String secretId) {
    StoredSecret stored = secrets.visibleSecret(ctx, secretId);
    SecretValue opened = open(ctx, stored);
    if (stored.metadata().kind() != SecretKind.SIGNING_KEY) {
      return new Revealed(opened, null);
    }
    try {
      return new Revealed(PrivateKeyPem.fromJwk(opened), opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /**
   * The value, which the caller must close after sending it (for a signing key: its private
   * JWK).
   */
  public SecretValue reveal(CallContext ctx, String secretId) {
    return open(ctx, secrets.visibleSecret(ctx, secretId));
  }

  private SecretValue open(CallContext ctx, StoredSecret stored) {
    String secretId = stored.metadata().secretId();
    SecretMetadata m = stored.metadata();
    String target = "secrets/" + secretId;
    enforcer.require(ctx, policy.reveal(ctx.caller(), m,
        grants.held(ctx.tenantId(), ctx.actor(), secretId, MAX_GRANTS_CHECKED), clock.instant()),
        AuditAction.SECRET_REVEAL, target);
    SecretValue value;
    try {
      value = cipher.open(stored.sealed(),
          SecretMinter.binding(m.tenantId(), m.secretId(), m.version()));
    } catch (CofferException e) {
      audit.record(enforcer.event(ctx, AuditAction.SECRET_REVEAL, target, AuditEvent.FAILED,
          e.reason().name()));
      throw e;
    }
    try {
      audit.record(enforcer.allowed(ctx, AuditAction.SECRET_REVEAL, target));
    } catch (RuntimeException e) {
      value.close();
      throw new CofferException(Reason.AUDIT_UNAVAILABLE,
          "the read could not be audited, so it was refused", e);
    }
    return value;
  }
}
