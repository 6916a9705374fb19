package dev.coffer.server.service.secrets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.PerMinuteBudget;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.store.records.SecretRepository;
import java.util.List;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Answers "is this presented value an active secret of client X?" (or of scope X) without
 * revealing anything else. A malformed value (wrong prefix or checksum) is rejected before any
 * lookup; each candidate is checked with a constant-time MAC verification, and all of a
 * client's active secrets are checked whatever the outcome. Expired, revoked and deleted
 * secrets never match. Failures are audited and rate limited (token buckets) per caller and
 * client, and per client overall with {@value #CLIENT_CAP_FACTOR} times the allowance: once
 * either budget is spent, verification answers RESOURCE_EXHAUSTED until it refills. So one
 * member of a tenant who guesses spends only its own budget and cannot lock every other
 * caller out of verifying that client, while many callers together still meet a cap. A value that matches a quarantined secret (reported leaked) is refused with
 * SECRET_QUARANTINED, so the service relying on it learns why, and the attempt is audited.
 */
public final class SecretVerifier {

  /** Verification outcome; {@code secretId} is empty when there is no match. */
  public record Result(boolean match, String secretId) {}

  /** Why a verification was refused, as told to a {@link FailureListener}. */
  public enum Failure { NO_MATCH, RATE_LIMITED }

  /**
   * Hears of each refused verification (for metrics). It is told the kind of failure only,
   * never the presented value, the client or the secret; it must be fast and not throw.
   */
  @FunctionalInterface
  public interface FailureListener {
    FailureListener NONE = failure -> { };

    void failed(Failure failure);
  }

  private static final int MAX_SECRETS_PER_CLIENT = 100;
  /** The per-client cap over all callers, as a multiple of one caller's allowance. */
  public static final int CLIENT_CAP_FACTOR = 10;

  private final SecretRepository secrets;
  private final ApplicationRepository apps;
  private final ScopeRepository scopes;
  private final VerifierMac verifiers;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final Cache<String, Bucket> failureBudgets;
  private final long failuresPerMinute;
  private final FailureListener failureListener;

  public SecretVerifier(SecretRepository secrets, ApplicationRepository apps,
      ScopeRepository scopes, VerifierMac verifiers, Governance gov, long failuresPerMinute,
      FailureListener failureListener) {
    this.secrets = secrets;
    this.apps = apps;
    this.scopes = scopes;
    this.verifiers = verifiers;
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.failuresPerMinute = failuresPerMinute;
    this.failureListener = failureListener;
    this.failureBudgets = Caffeine.newBuilder().maximumSize(100_000)
        .executor(Runnable::run) // upkeep on the caller: no hand-off to the common pool
        .expireAfterAccess(Duration.ofMinutes(10)).build();
  }

  /** Checks a value against the secrets of application {@code clientId}. */
  public Result verify(CallContext ctx, String clientId, SecretValue presented) {
    return verify(ctx, SecretParent.application(clientId), presented);
  }

  /** Checks a value against the secrets of {@code parent}. Does not close {@code presented}. */
  public Result verify(CallContext ctx, SecretParent parent, SecretValue presented) {
    String field = parent.scope() ? "scope" : "client_id";
    if (parent.scope()) {
      FieldRules.scopeId(field, parent.id());
    } else {
      FieldRules.opaqueId(field, parent.id());
    }
    if (presented.length() == 0) {
      throw CofferException.invalid("value", "must not be empty");
    }
    ValueFormat format = parent.scope() ? ValueFormat.SCOPE_SECRET : ValueFormat.CLIENT_SECRET;
    if (!format.isWellFormed(presented)) {
      throw CofferException.invalid("value", "is not a Coffer " + (parent.scope()
          ? "scope" : "client") + " secret: expected " + format.prefix() + " followed by "
          + (ValueFormat.LENGTH - 7) + " characters with a valid checksum");
    }
    List<StoredSecret> candidates = candidates(ctx, parent);
    String clientKey = ctx.tenantId() + "/" + parent.name();
    String callerKey = clientKey + "/" + ctx.actor();
    boolean callerSpent = spent(callerKey);
    if (callerSpent || spent(clientKey)) {
      failureListener.failed(Failure.RATE_LIMITED);
      throw new CofferException(Reason.VERIFY_RATE_LIMITED, callerSpent
          ? "too many failed verifications by you for this client; retry later"
          : "too many failed verifications for this client; retry later");
    }
    Instant now = clock.instant();
    String matched = null;
    String quarantined = null;
    for (StoredSecret s : candidates) {
      SecretMetadata m = s.metadata();
      boolean ok = verifiers.verify(s.verifier(), presented,
          SecretBinding.of(m));
      SecretState state = m.stateAt(now);
      if (ok && state == SecretState.ACTIVE && matched == null) {
        matched = m.secretId();
      } else if (ok && state == SecretState.QUARANTINED) {
        quarantined = m.secretId();
      }
    }
    if (matched != null) {
      return new Result(true, matched);
    }
    failureBudgets.get(callerKey, k -> PerMinuteBudget.of(failuresPerMinute, clock))
        .tryConsume(1);
    failureBudgets.get(clientKey,
        k -> PerMinuteBudget.of(failuresPerMinute * CLIENT_CAP_FACTOR, clock)).tryConsume(1);
    if (quarantined != null) {
      audit.record(enforcer.event(ctx, AuditAction.SECRET_VERIFY, "secrets/" + quarantined,
          AuditEvent.FAILED, Reason.SECRET_QUARANTINED.name()));
      throw new CofferException(Reason.SECRET_QUARANTINED, "the value is secret secrets/"
          + quarantined + ", which was reported leaked and is quarantined: it no longer "
          + "verifies; use its rotated successor");
    }
    failureListener.failed(Failure.NO_MATCH);
    audit.record(enforcer.event(ctx, AuditAction.SECRET_VERIFY, parent.name(),
        AuditEvent.FAILED, "NO_MATCH"));
    return new Result(false, "");
  }

  private List<StoredSecret> candidates(CallContext ctx, SecretParent parent) {
    if (parent.scope()) {
      if (scopes.get(ctx.tenantId(), parent.id()).isEmpty()) {
        throw new CofferException(Reason.SCOPE_NOT_FOUND, "scope " + parent.id()
            + " not found");
      }
      return secrets.ofScope(ctx.tenantId(), parent.id(), MAX_SECRETS_PER_CLIENT);
    }
    List<StoredSecret> found = secrets.ofApplication(ctx.tenantId(), parent.id(),
        MAX_SECRETS_PER_CLIENT);
    // A secret is indexed under its own tenant's application, which is never deleted: only
    // when none is found must the application's existence be read.
    if (found.isEmpty() && apps.get(ctx.tenantId(), parent.id()).isEmpty()) {
      throw new CofferException(Reason.APPLICATION_NOT_FOUND, "application " + parent.id()
          + " not found");
    }
    return found;
  }

  /** Whether the budget under {@code key} is spent (none yet: nothing spent). */
  private boolean spent(String key) {
    Bucket bucket = failureBudgets.getIfPresent(key);
    return bucket != null && bucket.getAvailableTokens() <= 0;
  }

}
