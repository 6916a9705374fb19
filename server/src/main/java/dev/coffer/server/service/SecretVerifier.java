package dev.coffer.server.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.SecretRepository;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Answers "is this presented value an active secret of client X?" without revealing
 * anything else. A malformed value (wrong prefix or checksum) is rejected before any
 * lookup; each candidate is checked with a constant-time MAC verification, and all of a
 * client's active secrets are checked whatever the outcome. Expired, revoked and deleted
 * secrets never match. Failures are audited and rate limited per client (token bucket):
 * once a client's failure budget is spent, verification answers RESOURCE_EXHAUSTED until
 * it refills.
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

  private final SecretRepository secrets;
  private final ApplicationRepository apps;
  private final VerifierMac verifiers;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final Cache<String, Bucket> failureBudgets;
  private final long failuresPerMinute;
  private final FailureListener failureListener;

  public SecretVerifier(SecretRepository secrets, ApplicationRepository apps,
      VerifierMac verifiers, Governance gov,
      long failuresPerMinute) {
    this(secrets, apps, verifiers, gov, failuresPerMinute, FailureListener.NONE);
  }

  public SecretVerifier(SecretRepository secrets, ApplicationRepository apps,
      VerifierMac verifiers, Governance gov, long failuresPerMinute,
      FailureListener failureListener) {
    this.secrets = secrets;
    this.apps = apps;
    this.verifiers = verifiers;
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.failuresPerMinute = failuresPerMinute;
    this.failureListener = failureListener;
    this.failureBudgets = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(10)).build();
  }

  /** Does not close {@code presented}. */
  public Result verify(CallContext ctx, String clientId, SecretValue presented) {
    FieldRules.opaqueId("client_id", clientId);
    if (presented.length() == 0) {
      throw CofferException.invalid("value", "must not be empty");
    }
    if (!ValueFormat.CLIENT_SECRET.isWellFormed(presented)) {
      throw CofferException.invalid("value",
          "is not a Coffer client secret: expected cfr_cs_ followed by "
              + (ValueFormat.LENGTH - 7) + " characters with a valid checksum");
    }
    Application app = apps.get(ctx.tenantId(), clientId).orElseThrow(() ->
        new CofferException(Reason.APPLICATION_NOT_FOUND, "application " + clientId
            + " not found"));
    Bucket budget = failureBudgets.get(ctx.tenantId() + "/" + clientId, k -> newBudget());
    if (budget.getAvailableTokens() <= 0) {
      failureListener.failed(Failure.RATE_LIMITED);
      throw new CofferException(Reason.VERIFY_RATE_LIMITED,
          "too many failed verifications for this client; retry later");
    }
    Optional<String> match = check(app, presented, clock.instant());
    if (match.isPresent()) {
      return new Result(true, match.get());
    }
    budget.tryConsume(1);
    failureListener.failed(Failure.NO_MATCH);
    audit.record(enforcer.event(ctx, AuditAction.SECRET_VERIFY, "applications/" + clientId,
        AuditEvent.FAILED, "NO_MATCH"));
    return new Result(false, "");
  }

  private Optional<String> check(Application app, SecretValue presented, Instant now) {
    String matched = null;
    for (StoredSecret s : secrets.ofApplication(app.tenantId(), app.clientId(),
        MAX_SECRETS_PER_CLIENT)) {
      SecretMetadata m = s.metadata();
      boolean ok = verifiers.verify(s.verifier(), presented,
          SecretMinter.binding(m.tenantId(), m.secretId(), m.version()));
      if (ok && m.stateAt(now) == SecretState.ACTIVE && matched == null) {
        matched = m.secretId();
      }
    }
    return Optional.ofNullable(matched);
  }

  private Bucket newBudget() {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(failuresPerMinute)
            .refillGreedy(failuresPerMinute, Duration.ofMinutes(1)).build())
        .build();
  }
}
