package dev.coffer.server.domain;

/**
 * Stable, machine-readable reasons for a refused or failed operation. Each reason
 * belongs to one {@link Kind}, which the gRPC edge maps to a status code. Reason names
 * are part of the API (they travel as {@code google.rpc.ErrorInfo.reason}).
 */
public enum Reason {
  INVALID_FIELD(Kind.INVALID),
  UNAUTHENTICATED(Kind.UNAUTHENTICATED),
  TOKEN_EXPIRED(Kind.UNAUTHENTICATED),
  TOKEN_REVOKED(Kind.UNAUTHENTICATED),
  /**
   * A sign-in with a trusted issuer's JWT was refused; {@code ErrorInfo.metadata["failure"]}
   * names the check that failed (EXPIRED, WRONG_AUDIENCE, NO_BINDING, ...).
   */
  LOGIN_REFUSED(Kind.UNAUTHENTICATED),
  /** The trusted issuer named does not exist in the tenant (or is not visible). */
  ISSUER_NOT_FOUND(Kind.NOT_FOUND),
  NOT_ADMIN(Kind.DENIED),
  NOT_SYSTEM_ADMIN(Kind.DENIED),
  NOT_OWNER(Kind.DENIED),
  NOT_PREAPPROVED(Kind.DENIED),
  NOT_VAULTED(Kind.DENIED),
  NOT_SHARED(Kind.DENIED),
  NO_GRANT(Kind.DENIED),
  GRANT_EXPIRED(Kind.DENIED),
  GRANT_REVOKED(Kind.DENIED),
  SELF_DECISION(Kind.DENIED),
  NOT_REQUESTER(Kind.DENIED),
  /**
   * The system administrator asked for a credential inside another tenant beyond that
   * tenant's first admin before anyone in it signed in.
   */
  CROSS_TENANT_CREDENTIAL(Kind.DENIED),
  /**
   * A token for a person asked of IssueToken in a tenant whose policy has
   * {@code federated_user_sign_in_only}: people sign in with {@code coffer login}.
   */
  FEDERATED_SIGN_IN_REQUIRED(Kind.DENIED),
  SECRET_EXPIRED(Kind.DENIED),
  SECRET_REVOKED(Kind.DENIED),
  /** The secret was reported leaked: it neither verifies nor reveals until released. */
  SECRET_QUARANTINED(Kind.DENIED),
  TENANT_NOT_FOUND(Kind.NOT_FOUND),
  PRINCIPAL_NOT_FOUND(Kind.NOT_FOUND),
  APPLICATION_NOT_FOUND(Kind.NOT_FOUND),
  SECRET_NOT_FOUND(Kind.NOT_FOUND),
  TOKEN_NOT_FOUND(Kind.NOT_FOUND),
  LOCATION_NOT_FOUND(Kind.NOT_FOUND),
  GRANT_NOT_FOUND(Kind.NOT_FOUND),
  ACCESS_REQUEST_NOT_FOUND(Kind.NOT_FOUND),
  KEK_KEY_NOT_FOUND(Kind.NOT_FOUND),
  SCOPE_NOT_FOUND(Kind.NOT_FOUND),
  ALREADY_EXISTS(Kind.CONFLICT),
  ETAG_MISMATCH(Kind.ABORTED),
  /** A guarded write found its keys changed underneath it; read again and retry. */
  CONCURRENT_CHANGE(Kind.ABORTED),
  UNSUPPORTED_SECURITY_TYPE(Kind.PRECONDITION),
  ALREADY_REVOKED(Kind.PRECONDITION),
  SHARING_DISABLED(Kind.PRECONDITION),
  SECRET_NOT_ACTIVE(Kind.PRECONDITION),
  REQUEST_NOT_PENDING(Kind.PRECONDITION),
  NOT_ROTATABLE(Kind.PRECONDITION),
  /** A KEK key still in use (the primary, enabled, or wrapping data keys). */
  KEK_KEY_IN_USE(Kind.PRECONDITION),
  /** A trusted issuer's keys would be fetched from a host --issuer-fetch-hosts does not allow. */
  ISSUER_FETCH_NOT_ALLOWED(Kind.PRECONDITION),
  /** The server has no --backup-dir. */
  BACKUPS_NOT_CONFIGURED(Kind.PRECONDITION),
  /** A cluster operation on a server that is not a node of a cluster. */
  NOT_CLUSTERED(Kind.PRECONDITION),
  /** The Raft group refused a leadership, snapshot or membership change in its state. */
  CLUSTER_CHANGE_REFUSED(Kind.PRECONDITION),
  /** Unquarantine of a secret that is not quarantined. */
  NOT_QUARANTINED(Kind.PRECONDITION),
  /** Unquarantine before rotation: the leaked value must be replaced first. */
  ROTATION_REQUIRED(Kind.PRECONDITION),
  VERIFY_RATE_LIMITED(Kind.RATE_LIMITED),
  /** Too many leak reports from one peer, or overall. */
  LEAK_REPORT_RATE_LIMITED(Kind.RATE_LIMITED),
  /** Too many concurrent lifecycle watches (per principal or per server). */
  WATCH_LIMIT(Kind.RATE_LIMITED),
  /** A lifecycle watcher fell too far behind and was disconnected. */
  WATCHER_TOO_SLOW(Kind.RATE_LIMITED),
  CIPHERTEXT_CORRUPT(Kind.DATA_LOSS),
  AUDIT_UNAVAILABLE(Kind.UNAVAILABLE),
  STORAGE_FAILURE(Kind.UNAVAILABLE),
  /** The server is stopping; long-lived calls (lifecycle watches) are ended with this. */
  SHUTTING_DOWN(Kind.UNAVAILABLE),
  /**
   * The call's deadline passed before its write was committed: not written when the cluster
   * never took it, else its outcome is unknown (see docs/cluster-design.md).
   */
  CALL_DEADLINE_PASSED(Kind.DEADLINE),
  INTERNAL_ERROR(Kind.INTERNAL);

  /** Transport-neutral category of a reason. */
  public enum Kind {
    INVALID, UNAUTHENTICATED, DENIED, NOT_FOUND, CONFLICT, ABORTED, PRECONDITION,
    RATE_LIMITED, DATA_LOSS, UNAVAILABLE, DEADLINE, INTERNAL
  }

  private final Kind kind;

  Reason(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
