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
  NOT_ADMIN(Kind.DENIED),
  NOT_SYSTEM_ADMIN(Kind.DENIED),
  NOT_OWNER(Kind.DENIED),
  NOT_PREAPPROVED(Kind.DENIED),
  NOT_VAULTED(Kind.DENIED),
  SECRET_EXPIRED(Kind.DENIED),
  SECRET_REVOKED(Kind.DENIED),
  TENANT_NOT_FOUND(Kind.NOT_FOUND),
  PRINCIPAL_NOT_FOUND(Kind.NOT_FOUND),
  APPLICATION_NOT_FOUND(Kind.NOT_FOUND),
  SECRET_NOT_FOUND(Kind.NOT_FOUND),
  TOKEN_NOT_FOUND(Kind.NOT_FOUND),
  LOCATION_NOT_FOUND(Kind.NOT_FOUND),
  ALREADY_EXISTS(Kind.CONFLICT),
  ETAG_MISMATCH(Kind.ABORTED),
  UNSUPPORTED_SECURITY_TYPE(Kind.PRECONDITION),
  ALREADY_REVOKED(Kind.PRECONDITION),
  VERIFY_RATE_LIMITED(Kind.RATE_LIMITED),
  CIPHERTEXT_CORRUPT(Kind.DATA_LOSS),
  AUDIT_UNAVAILABLE(Kind.UNAVAILABLE),
  STORAGE_FAILURE(Kind.UNAVAILABLE),
  INTERNAL_ERROR(Kind.INTERNAL);

  /** Transport-neutral category of a reason. */
  public enum Kind {
    INVALID, UNAUTHENTICATED, DENIED, NOT_FOUND, CONFLICT, ABORTED, PRECONDITION,
    RATE_LIMITED, DATA_LOSS, UNAVAILABLE, INTERNAL
  }

  private final Kind kind;

  Reason(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
