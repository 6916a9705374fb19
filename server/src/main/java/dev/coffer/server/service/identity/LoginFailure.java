package dev.coffer.server.service.identity;

/**
 * The check that refused a sign-in with a trusted issuer's JWT. The name travels to the
 * caller ({@code ErrorInfo.metadata["failure"]}), into the audit event and into the
 * {@code coffer_logins_total} metric; it is part of the API.
 */
public enum LoginFailure {
  /** Not a compact JWS with a JSON claims set, or too long. */
  MALFORMED,
  /** No trusted issuer of the tenant has the token's {@code iss} (or the tenant is unknown). */
  UNKNOWN_ISSUER,
  /** {@code alg} is none, HMAC or not in the issuer's allow-list. */
  UNSUPPORTED_ALGORITHM,
  /** No key of the issuer's JWK Set matches the token's header, even after a refresh. */
  UNKNOWN_KEY,
  BAD_SIGNATURE,
  /** The issuer's discovery document names another issuer, or {@code iss} differs. */
  WRONG_ISSUER,
  WRONG_AUDIENCE,
  EXPIRED,
  NOT_YET_VALID,
  /** {@code exp - iat} is longer than the issuer's max_token_lifetime. */
  LIFETIME_TOO_LONG,
  /** {@code exp}, {@code iat} or a claim the issuer maps is absent. */
  MISSING_CLAIM,
  /** No binding of a WORKLOADS issuer, or a PEOPLE issuer's required claims, matched. */
  NO_BINDING,
  /** The ID token was exchanged before. */
  REPLAYED,
  /** The issuer's keys could not be fetched and none are cached. */
  ISSUER_UNREACHABLE,
  /**
   * The issuer's keys are on a host the server may not fetch from ({@code
   * --issuer-fetch-hosts}): its discovery document names a jwks_uri elsewhere, or the
   * operator no longer allows the issuer's host.
   */
  ISSUER_HOST_NOT_ALLOWED,
  /** The principal the token maps to does not exist (or is not of the right kind). */
  PRINCIPAL_NOT_FOUND,
  /** The user claim's value is not a valid principal id. */
  INVALID_PRINCIPAL_ID,
  /** The subject_token_type is one Coffer does not exchange, or wrong for the issuer. */
  UNSUPPORTED_TOKEN_TYPE
}
