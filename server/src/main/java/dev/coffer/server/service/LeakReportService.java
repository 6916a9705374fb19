package dev.coffer.server.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.LookupKeys;
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
import dev.coffer.server.store.records.SecretRepository;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes leaked-secret reports from anyone (no token): a value Coffer generated (client or
 * scope secret) that a secret scanner found. The value is located from itself alone through
 * the keyed lookup index ({@link LookupKeys}, one range scan, no table scan) and confirmed
 * with the secret's keyed verifier; a live match is quarantined through
 * {@link QuarantineService} in one batch with its audit event, and its owner hears of it
 * (lifecycle event, {@code coffer secret get}).
 *
 * <p>Answers are the same for every well-formed report: the caller learns nothing about
 * whether the value matched a live, expired, revoked or deleted secret or nothing at all.
 * The work is comparable too: every report computes the lookup keys, scans the index, runs
 * one or more constant-time verifications (against a decoy when nothing was found) and
 * writes exactly one synced audit event: LEAK_REPORT ALLOWED with the quarantine, or
 * LEAK_REPORT FAILED ({@code NO_MATCH} without a tenant, or the secret's state in its own
 * tenant's trail, so its owner learns that a dead value leaked too).
 *
 * <p>Rate limits (token buckets, checked before any work): {@code perPeerPerMinute} per peer
 * host and {@code totalPerMinute} overall; beyond them RESOURCE_EXHAUSTED
 * ({@code LEAK_REPORT_RATE_LIMITED}), counted but not written, so a flood cannot become
 * unbounded synced writes. Values are never stored, logged or echoed.
 */
public final class LeakReportService {

  public static final long DEFAULT_PER_PEER_PER_MINUTE = 30;
  public static final long DEFAULT_TOTAL_PER_MINUTE = 600;
  /** How many index hits per lookup key are confirmed (collisions of a 256-bit PRF: none). */
  private static final int MAX_HITS = 4;
  private static final byte[] DECOY_BINDING = SecretMinter.binding("", "decoy", 1);

  /** What became of a report, for metrics; never the value or the secret. */
  public enum Outcome { QUARANTINED, NOT_LIVE, NO_MATCH, INVALID, RATE_LIMITED }

  /** Hears of each report's outcome; must be fast and not throw. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = outcome -> { };

    void reported(Outcome outcome);
  }

  private final SecretRepository secrets;
  private final LookupKeys lookupKeys;
  private final VerifierMac verifiers;
  private final QuarantineService quarantine;
  private final AuditLog audit;
  private final Clock clock;
  private final long perPeerPerMinute;
  private final Cache<String, Bucket> perPeer;
  private final Bucket total;
  private final Listener listener;
  private final byte[] decoyVerifier;

  public LeakReportService(SecretRepository secrets, LookupKeys lookupKeys, VerifierMac verifiers,
      QuarantineService quarantine, Governance gov, long perPeerPerMinute, long totalPerMinute,
      Listener listener) {
    this.secrets = secrets;
    this.lookupKeys = lookupKeys;
    this.verifiers = verifiers;
    this.quarantine = quarantine;
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.perPeerPerMinute = perPeerPerMinute;
    this.perPeer = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(2)).build();
    this.total = budget(totalPerMinute);
    this.listener = listener;
    try (SecretValue decoy = SecretValue.ofString("decoy")) {
      this.decoyVerifier = verifiers.compute(decoy, DECOY_BINDING);
    }
  }

  /**
   * Handles one report. Does not close {@code value}.
   *
   * @throws CofferException INVALID_FIELD for a value that is not a Coffer-generated secret,
   *     LEAK_REPORT_RATE_LIMITED beyond the budgets
   */
  public void report(String requestId, SocketAddress peer, SecretValue value) {
    Bucket peerBudget = perPeer.get(AuthFailureAudit.peerHost(peer),
        k -> budget(perPeerPerMinute));
    if (!peerBudget.tryConsume(1) || !total.tryConsume(1)) {
      listener.reported(Outcome.RATE_LIMITED);
      throw new CofferException(Reason.LEAK_REPORT_RATE_LIMITED,
          "too many leak reports; retry in a minute");
    }
    if (!ValueFormat.CLIENT_SECRET.isWellFormed(value)
        && !ValueFormat.SCOPE_SECRET.isWellFormed(value)) {
      listener.reported(Outcome.INVALID);
      throw CofferException.invalid("value", value.length() == 0 ? "must not be empty"
          : "is not a value Coffer generates: expected cfr_cs_ or cfr_ss_ followed by "
              + (ValueFormat.LENGTH - 7) + " characters with a valid checksum");
    }
    StoredSecret found = confirmed(candidates(value), value);
    String peerText = peer == null ? "" : peer.toString();
    if (found == null) {
      audit.record(new AuditEvent(clock.instant(), "", "", AuditAction.LEAK_REPORT, "",
          AuditEvent.FAILED, "NO_MATCH", requestId, peerText));
      listener.reported(Outcome.NO_MATCH);
      return;
    }
    SecretMetadata m = found.metadata();
    String target = "secrets/" + m.secretId();
    AuditEvent quarantined = new AuditEvent(clock.instant(), m.tenantId(), "",
        AuditAction.LEAK_REPORT, target, AuditEvent.ALLOWED, "", requestId, peerText);
    if (quarantine.quarantine(found, quarantined)) {
      listener.reported(Outcome.QUARANTINED);
      return;
    }
    SecretState state = secrets.get(m.tenantId(), m.secretId())
        .map(s -> s.metadata().stateAt(clock.instant())).orElse(null);
    audit.record(new AuditEvent(clock.instant(), m.tenantId(), "", AuditAction.LEAK_REPORT,
        target, AuditEvent.FAILED, notLiveReason(state), requestId, peerText));
    listener.reported(Outcome.NOT_LIVE);
  }

  private List<StoredSecret> candidates(SecretValue value) {
    List<StoredSecret> hits = new ArrayList<>();
    for (byte[] lookup : lookupKeys.all(value)) {
      hits.addAll(secrets.byLeakLookupKey(lookup, MAX_HITS));
    }
    return hits;
  }

  /** The candidate the value verifies against, or null; always at least one MAC check. */
  private StoredSecret confirmed(List<StoredSecret> candidates, SecretValue value) {
    if (candidates.isEmpty()) {
      verifiers.verify(decoyVerifier, value, DECOY_BINDING);
      return null;
    }
    StoredSecret match = null;
    for (StoredSecret s : candidates) {
      SecretMetadata m = s.metadata();
      boolean ok = verifiers.verify(s.verifier(), value,
          SecretMinter.binding(m.tenantId(), m.secretId(), m.version()));
      if (ok && match == null) {
        match = s;
      }
    }
    return match;
  }

  private static String notLiveReason(SecretState state) {
    if (state == null) {
      return Reason.SECRET_NOT_FOUND.name();
    }
    return switch (state) {
      case EXPIRED -> Reason.SECRET_EXPIRED.name();
      case REVOKED -> Reason.SECRET_REVOKED.name();
      case QUARANTINED -> Reason.SECRET_QUARANTINED.name();
      case ACTIVE -> Reason.SECRET_NOT_ACTIVE.name();
    };
  }

  private Bucket budget(long perMinute) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute)
            .refillGreedy(perMinute, Duration.ofMinutes(1)).build())
        .withCustomTimePrecision(new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        })
        .build();
  }
}
