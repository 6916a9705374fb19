package dev.coffer.server.domain;

import java.time.Instant;

/**
 * A principal's right to reveal one vaulted, shared secret until {@code expireTime}.
 * Every grant expires; a revoked or expired grant is checked against the clock at the
 * moment of each read.
 *
 * @param accessRequestId the approved request that created it, or empty when created
 *     directly (or carried over by rotation)
 * @param revokeTime null unless revoked
 */
public record Grant(
    String tenantId,
    String grantId,
    String secretId,
    String grantee,
    String grantor,
    Instant createTime,
    Instant expireTime,
    Instant revokeTime,
    String accessRequestId,
    long revision) {

  /** The grant's state at {@code now}. */
  public enum State {
    ACTIVE,
    EXPIRED,
    REVOKED
  }

  public State stateAt(Instant now) {
    if (revokeTime != null) {
      return State.REVOKED;
    }
    return now.isBefore(expireTime) ? State.ACTIVE : State.EXPIRED;
  }

  public String etag() {
    return "r" + revision;
  }

  public Grant revokedAt(Instant time) {
    return new Grant(tenantId, grantId, secretId, grantee, grantor, createTime, expireTime, time,
        accessRequestId, revision + 1);
  }

  /** The same right on another secret (rotation carries grants to the successor). */
  public Grant carriedTo(String newGrantId, String successorId, Instant now) {
    return new Grant(tenantId, newGrantId, successorId, grantee, grantor, now, expireTime, null,
        accessRequestId, 1);
  }
}
