package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.SecretRepository;
import java.time.Clock;
import java.time.Instant;

/**
 * Puts secrets reported leaked into quarantine, and lifts it. A quarantined secret neither
 * verifies nor reveals (state QUARANTINED, reason SECRET_QUARANTINED); it can still be
 * rotated, revoked and deleted. The quarantine is lifted only after the secret was rotated,
 * so a leaked value lives on at most until the end of its rotation's overlap. Changes take
 * the {@link Secrets}'s lock, like every other change of a secret record, and commit
 * with their audit event; the lifecycle event follows the commit.
 */
public final class QuarantineService {

  private final Secrets secrets;
  private final SecretRepository repo;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final LifecycleEvents events;

  public QuarantineService(Secrets secrets, SecretRepository repo, Governance gov,
      LifecycleEvents events) {
    this.secrets = secrets;
    this.repo = repo;
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.events = events;
  }

  /**
   * Quarantines {@code found} if it is still active, committing {@code event} with the
   * change.
   *
   * @return false when it was not active any more (nothing was written)
   */
  boolean quarantine(StoredSecret found, AuditEvent event) {
    SecretMetadata m;
    synchronized (secrets) {
      StoredSecret current = repo.get(found.metadata().tenantId(), found.metadata().secretId())
          .orElse(null);
      Instant now = clock.instant();
      if (current == null || current.metadata().stateAt(now) != SecretState.ACTIVE) {
        return false;
      }
      StoredSecret quarantined = current.withMetadata(current.metadata().quarantinedAt(now));
      Changes changes = new Changes();
      repo.stage(changes, quarantined);
      audit.commit(changes, event);
      m = quarantined.metadata();
    }
    events.secretChanged(m, "QUARANTINED", "", m.quarantineTime());
    return true;
  }

  /**
   * Lifts the quarantine of a secret that has been rotated: its owner, its application's or
   * scope's owner, or a tenant admin.
   */
  public SecretMetadata unquarantine(CallContext ctx, String secretId, String etag) {
    SecretMetadata released;
    synchronized (secrets) {
      StoredSecret stored = secrets.changeable(ctx, secretId, etag,
          AuditAction.SECRET_UNQUARANTINE);
      SecretMetadata m = stored.metadata();
      if (m.quarantineTime() == null) {
        throw new CofferException(Reason.NOT_QUARANTINED, "secret " + secretId
            + " is not quarantined");
      }
      if (m.rotatedTo().isEmpty()) {
        throw new CofferException(Reason.ROTATION_REQUIRED, "secret " + secretId
            + " was reported leaked: rotate it first (coffer secret rotate " + secretId
            + " --overlap ...), then lift the quarantine so the old value serves out the overlap");
      }
      StoredSecret next = stored.withMetadata(m.quarantinedAt(null));
      Changes changes = new Changes();
      repo.stage(changes, next);
      audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_UNQUARANTINE,
          "secrets/" + secretId));
      released = next.metadata();
    }
    events.secretChanged(released, "UNQUARANTINED", "", clock.instant());
    return released;
  }
}
