package dev.coffer.server.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A principal's request to read a shared vaulted secret for {@code duration}, with a
 * justification. Decided (approved, denied) by the secret's owner or a tenant admin other
 * than the requester, or cancelled by the requester; an undecided request expires at
 * {@code decideDeadline}, computed at read time.
 *
 * @param decidedBy empty while pending
 * @param decideTime null while pending
 * @param grantId the grant an approval created, or empty
 */
public record AccessRequest(
    String tenantId,
    String requestId,
    String secretId,
    String requester,
    String justification,
    Duration duration,
    Status status,
    Instant createTime,
    Instant decideDeadline,
    String decidedBy,
    Instant decideTime,
    String denyReason,
    String grantId,
    long revision) {

  /** The stored status; {@link #stateAt} adds expiry. */
  public enum Status {
    PENDING,
    APPROVED,
    DENIED,
    CANCELLED
  }

  /** The state at {@code now}, with expiry. */
  public enum State {
    PENDING,
    APPROVED,
    DENIED,
    CANCELLED,
    EXPIRED
  }

  public State stateAt(Instant now) {
    if (status == Status.PENDING) {
      return now.isBefore(decideDeadline) ? State.PENDING : State.EXPIRED;
    }
    return State.valueOf(status.name());
  }

  public String etag() {
    return "r" + revision;
  }

  /** This request decided as {@code outcome} by {@code who} at {@code time}. */
  public AccessRequest decided(Status outcome, String who, Instant time, String reason,
      String grant) {
    return new AccessRequest(tenantId, requestId, secretId, requester, justification, duration,
        outcome, createTime, decideDeadline, who, time, reason, grant, revision + 1);
  }
}
