package dev.coffer.server.service.keys;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.KekKey;
import dev.coffer.server.crypto.KekKeyset;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.directory.BootstrapService;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.Changes;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * KEK rotation as operators drive it, system administrator only, every step audited:
 * {@link #rotate} makes a new primary key (new data keys are wrapped by it at once) and
 * starts the background re-wrap ({@link KekRewrapJob}); {@link #disable} retires an old
 * key only when no data key depends on it any more; {@link #destroy} deletes a disabled
 * key. Refusals are FAILED_PRECONDITION with the reason and what to do next.
 */
public final class KekService {

  private final KekKeyset kek;
  private final KekRewrapJob job;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public KekService(KekKeyset kek, KekRewrapJob job, Governance gov) {
    this.kek = kek;
    this.job = job;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * At startup: if a rotation was saved but its re-wrap job was not (a crash in between),
   * starts the job for the current primary key, audited as the server's own action.
   */
  public void resumeIfNeeded() {
    synchronized (kek) {
      KekKey primary = kek.primary();
      Optional<RewrapProgress> progress = job.progress();
      boolean needed = progress.isPresent()
          ? progress.get().targetKeyId() != primary.id()
          : kek.keys().size() > 1;
      if (needed) {
        startJob(primary, new AuditEvent(clock.instant(), BootstrapService.DEFAULT_TENANT,
            KekRewrapJob.ACTOR, AuditAction.KEK_ROTATE, "kek/" + primary.displayId(),
            AuditEvent.ALLOWED, "re-wrap job started at startup", "", ""));
      }
    }
  }

  /** Stages and commits a new job towards {@code primary}, retrying a lost race. */
  private void startJob(KekKey primary, AuditEvent event) {
    for (int attempt = 1; ; attempt++) {
      Changes changes = new Changes();
      job.stageStart(changes, primary.id());
      try {
        audit.commit(changes, event);
        return;
      } catch (CofferException e) {
        if (e.reason() != Reason.CONCURRENT_CHANGE || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** The KEK keys and the re-wrap progress (empty before the first rotation). */
  public record KekStatus(List<KekKey> keys, Optional<RewrapProgress> rewrap) {}

  /** For {@code coffer admin status}; the caller has been authorised. */
  public KekStatus status() {
    return new KekStatus(kek.keys(), job.progress());
  }

  public KekKey rotate(CallContext ctx) {
    enforcer.require(ctx, policy.administerVault(ctx.caller()), AuditAction.KEK_ROTATE, "kek");
    synchronized (kek) {
      KekKey primary = kek.rotate();
      startJob(primary, enforcer.allowed(ctx, AuditAction.KEK_ROTATE,
          "kek/" + primary.displayId()));
      return primary;
    }
  }

  public void disable(CallContext ctx, int keyId) {
    String target = "kek/" + Integer.toUnsignedString(keyId);
    enforcer.require(ctx, policy.administerVault(ctx.caller()), AuditAction.KEK_DISABLE, target);
    synchronized (kek) {
      KekKey key = find(keyId);
      if (key.primary()) {
        throw new CofferException(Reason.KEK_KEY_IN_USE, "KEK key " + key.displayId()
            + " is the primary; rotate the KEK first, then disable the old key");
      }
      long dependent = job.countWrappedBy(keyId);
      if (dependent > 0) {
        throw new CofferException(Reason.KEK_KEY_IN_USE, dependent + " data keys are still"
            + " wrapped by KEK key " + key.displayId()
            + "; wait for the re-wrap to finish (coffer admin status)");
      }
      kek.disable(keyId);
      audit.record(enforcer.allowed(ctx, AuditAction.KEK_DISABLE, target));
    }
  }

  public void enable(CallContext ctx, int keyId) {
    String target = "kek/" + Integer.toUnsignedString(keyId);
    enforcer.require(ctx, policy.administerVault(ctx.caller()), AuditAction.KEK_ENABLE, target);
    synchronized (kek) {
      find(keyId);
      kek.enable(keyId);
      audit.record(enforcer.allowed(ctx, AuditAction.KEK_ENABLE, target));
    }
  }

  public void destroy(CallContext ctx, int keyId) {
    String target = "kek/" + Integer.toUnsignedString(keyId);
    enforcer.require(ctx, policy.administerVault(ctx.caller()), AuditAction.KEK_DESTROY, target);
    synchronized (kek) {
      KekKey key = find(keyId);
      if (key.status() != KekKey.Status.DISABLED) {
        throw new CofferException(Reason.KEK_KEY_IN_USE, "KEK key " + key.displayId()
            + " is enabled; disable it first (destroying is permanent)");
      }
      kek.destroy(keyId);
      audit.record(enforcer.allowed(ctx, AuditAction.KEK_DESTROY, target));
    }
  }

  /** The key with {@code keyId}, as it is now (after an operation on it). */
  public KekKey key(int keyId) {
    return find(keyId);
  }

  private KekKey find(int keyId) {
    return kek.keys().stream().filter(k -> k.id() == keyId).findFirst()
        .orElseThrow(() -> new CofferException(Reason.KEK_KEY_NOT_FOUND,
            "no KEK key " + Integer.toUnsignedString(keyId) + " (see coffer admin status)"));
  }
}
