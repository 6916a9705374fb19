package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.LookupKeys;
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
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.records.SecretRepository;
import java.net.SocketAddress;
import java.time.Clock;
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
 * writes at most one synced audit event: LEAK_REPORT ALLOWED with the quarantine, or
 * LEAK_REPORT FAILED ({@code NO_MATCH} without a tenant, or the secret's state in its own
 * tenant's trail, so its owner learns that a dead value leaked too).
 *
 * <p>Budgets ({@link LeakReportBudgets}, token buckets per minute): before any work, per
 * address, per network (IPv4 /24, IPv6 /64) and overall; beyond them RESOURCE_EXHAUSTED
 * ({@code LEAK_REPORT_RATE_LIMITED}), counted but not written. After the lookup, a report
 * that quarantined nothing (a miss, or a dead secret's value) is written only within the
 * smaller miss allowance, and counted ({@link Outcome#MISS_NOT_WRITTEN}) beyond it, with
 * the same answer; a quarantine is always written. So a flood cannot become unbounded
 * synced writes, and a flood of misses cannot starve real reports beyond the overall cap.
 * Values are never stored, logged or echoed.
 */
public final class LeakReports {

  public static final long DEFAULT_PER_PEER_PER_MINUTE = 30;
  /** From all addresses of one IPv4 /24 or IPv6 /64 together. */
  public static final long DEFAULT_PER_NETWORK_PER_MINUTE = 120;
  public static final long DEFAULT_TOTAL_PER_MINUTE = 600;
  /** Reports that quarantine nothing still written to the audit trail, overall. */
  public static final long DEFAULT_MISSES_WRITTEN_PER_MINUTE = 60;
  /** How many index hits per lookup key are confirmed (collisions of a 256-bit PRF: none). */
  private static final int MAX_HITS = 4;
  private static final byte[] DECOY_BINDING = SecretBinding.of("", "decoy", 1);

  /** What became of a report, for metrics; never the value or the secret. */
  public enum Outcome {
    QUARANTINED, NOT_LIVE, NO_MATCH, INVALID, RATE_LIMITED,
    /** A miss or dead secret beyond the miss allowance: answered alike, not written. */
    MISS_NOT_WRITTEN
  }

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
  private final LeakReportBudgets budgets;
  private final Listener listener;
  private final byte[] decoyVerifier;

  /** With the default budgets. */
  public LeakReports(SecretRepository secrets, LookupKeys lookupKeys, VerifierMac verifiers,
      QuarantineService quarantine, Governance gov, Listener listener) {
    this(secrets, lookupKeys, verifiers, quarantine, gov, DEFAULT_PER_PEER_PER_MINUTE,
        DEFAULT_PER_NETWORK_PER_MINUTE, DEFAULT_TOTAL_PER_MINUTE,
        DEFAULT_MISSES_WRITTEN_PER_MINUTE, listener);
  }

  /** With budgets per minute; see {@link LeakReportBudgets.Limits}. */
  public LeakReports(SecretRepository secrets, LookupKeys lookupKeys, VerifierMac verifiers,
      QuarantineService quarantine, Governance gov, long perAddressPerMinute,
      long perNetworkPerMinute, long totalPerMinute, long missesWrittenPerMinute,
      Listener listener) {
    this.secrets = secrets;
    this.lookupKeys = lookupKeys;
    this.verifiers = verifiers;
    this.quarantine = quarantine;
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.budgets = new LeakReportBudgets(new LeakReportBudgets.Limits(perAddressPerMinute,
        perNetworkPerMinute, totalPerMinute, missesWrittenPerMinute), clock);
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
    if (!budgets.admit(peer)) {
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
      if (!budgets.writeMiss()) {
        listener.reported(Outcome.MISS_NOT_WRITTEN);
        return;
      }
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
    if (!budgets.writeMiss()) {
      listener.reported(Outcome.MISS_NOT_WRITTEN);
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
          SecretBinding.of(m));
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
}
