package dev.coffer.server.domain;

import java.time.Duration;

/**
 * Rules a tenant applies to its secrets and tokens.
 *
 * @param federatedUserSignInOnly people sign in only through federation (the identity
 *     {@code Login}): no admin, nor the person itself, may be issued a token for a USER
 *     principal through {@code IssueToken}, so nobody holds a working credential for a
 *     person that the person did not obtain by signing in. SERVICE principals are unaffected.
 */
public record TenantPolicy(
    boolean allowNeverExpire,
    Duration maxSecretLifetime,
    Duration maxTokenLifetime,
    Duration maxAccessDuration,
    Duration requestDecisionWindow,
    boolean federatedUserSignInOnly) {

  public static final Duration DEFAULT_MAX_SECRET_LIFETIME = Duration.ofDays(730);
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofDays(365);
  public static final Duration DEFAULT_MAX_ACCESS_DURATION = Duration.ofDays(30);
  public static final Duration DEFAULT_REQUEST_DECISION_WINDOW = Duration.ofDays(7);

  /** A policy with admin-issued user tokens allowed (the switch off). */
  public TenantPolicy(boolean allowNeverExpire, Duration maxSecretLifetime,
      Duration maxTokenLifetime, Duration maxAccessDuration, Duration requestDecisionWindow) {
    this(allowNeverExpire, maxSecretLifetime, maxTokenLifetime, maxAccessDuration,
        requestDecisionWindow, false);
  }

  public static TenantPolicy defaults() {
    return new TenantPolicy(false, DEFAULT_MAX_SECRET_LIFETIME, DEFAULT_MAX_TOKEN_LIFETIME,
        DEFAULT_MAX_ACCESS_DURATION, DEFAULT_REQUEST_DECISION_WINDOW);
  }
}
