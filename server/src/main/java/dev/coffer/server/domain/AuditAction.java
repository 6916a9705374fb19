package dev.coffer.server.domain;

/** What an audit event records. */
public enum AuditAction {
  TENANT_CREATE,
  PRINCIPAL_CREATE,
  TOKEN_ISSUE,
  TOKEN_REVOKE,
  /** Listing a principal's tokens (metadata only). */
  TOKEN_LIST,
  LOCATION_CREATE,
  APPLICATION_CREATE,
  SECRET_CREATE,
  SECRET_REVOKE,
  SECRET_DELETE,
  SECRET_REVEAL,
  SECRET_VERIFY,
  SECRET_ROTATE,
  CREDENTIAL_STORE,
  ACCESS_REQUEST,
  ACCESS_APPROVE,
  ACCESS_DENY,
  ACCESS_CANCEL,
  GRANT_CREATE,
  GRANT_REVOKE,
  GRANT_LIST,
  /**
   * A request for an object that exists but the caller may not see, answered NOT_FOUND:
   * always DENIED, reason NOT_VISIBLE, in the object's tenant.
   */
  OBJECT_PROBE,
  AUTHENTICATE,
  BOOTSTRAP,
  AUDIT_LIST,
  AUDIT_EXPORT,
  AUDIT_VERIFY,
  VAULT_STATUS,
  KEK_ROTATE,
  /** One batch of data keys re-wrapped under the KEK's primary key (background job). */
  KEK_REWRAP,
  KEK_DISABLE,
  KEK_ENABLE,
  KEK_DESTROY,
  BACKUP_CREATE,
  /** A cluster node's view of its Raft group (coffer cluster peers). */
  CLUSTER_STATUS,
  CLUSTER_TRANSFER_LEADER,
  CLUSTER_SNAPSHOT,
  CLUSTER_REMOVE_PEER,
  CLUSTER_ADD_PEER,
  SCOPE_CREATE,
  /** A leak report: ALLOWED when it quarantined a secret, FAILED otherwise (with why). */
  LEAK_REPORT,
  SECRET_UNQUARANTINE,
  /** A client assertion check: ALLOWED when valid, FAILED with the failure otherwise. */
  CLIENT_ASSERTION_VERIFY,
  /** A trusted issuer registered for a tenant (identity federation). */
  ISSUER_CREATE,
  ISSUER_DELETE,
  /** Reading or listing trusted issuers (recorded when denied). */
  ISSUER_READ,
  /**
   * A sign-in with a trusted issuer's JWT: ALLOWED with the token issued, FAILED with the
   * check that refused it. Never holds the JWT.
   */
  FEDERATED_LOGIN
}
