package dev.coffer.server.domain;

import java.time.Duration;

/** Rules a tenant applies to its secrets and tokens. */
public record TenantPolicy(
    boolean allowNeverExpire,
    Duration maxSecretLifetime,
    Duration maxTokenLifetime,
    Duration maxAccessDuration,
    Duration requestDecisionWindow) {

  public static final Duration DEFAULT_MAX_SECRET_LIFETIME = Duration.ofDays(730);
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofDays(365);
  public static final Duration DEFAULT_MAX_ACCESS_DURATION = Duration.ofDays(30);
  public static final Duration DEFAULT_REQUEST_DECISION_WINDOW = Duration.ofDays(7);

  public static TenantPolicy defaults() {
    return new TenantPolicy(false, DEFAULT_MAX_SECRET_LIFETIME, DEFAULT_MAX_TOKEN_LIFETIME,
        DEFAULT_MAX_ACCESS_DURATION, DEFAULT_REQUEST_DECISION_WINDOW);
  }
}
