package dev.coffer.server.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Which events a query keeps: time in {@code [since, until)}, and exact actor, target and
 * action when given. Null times and empty strings match everything. Checking that the
 * values make sense (since before until, a known action) is the caller's job.
 */
public record AuditFilter(Instant since, Instant until, String actor, String target,
    String action) {

  public static final AuditFilter ALL = new AuditFilter(null, null, "", "", "");

  public AuditFilter {
    actor = actor == null ? "" : actor;
    target = target == null ? "" : target;
    action = action == null ? "" : action;
  }

  public boolean matches(AuditEntry e) {
    return (since == null || !e.time().isBefore(since))
        && (until == null || e.time().isBefore(until))
        && (actor.isEmpty() || actor.equals(e.actor()))
        && (target.isEmpty() || target.equals(e.target()))
        && (action.isEmpty() || action.equals(e.action()));
  }

  /** A short digest of the filter, to bind a page token to the filter it was made for. */
  byte[] fingerprint() {
    String canonical = text(since) + "\u0000" + text(until) + "\u0000" + actor + "\u0000"
        + target + "\u0000" + action;
    byte[] digest = ChainedAuditLog.sha256(canonical.getBytes(StandardCharsets.UTF_8));
    return Arrays.copyOf(digest, 8);
  }

  private static String text(Instant t) {
    return t == null ? "-" : t.toString();
  }
}
