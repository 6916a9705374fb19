package dev.coffer.server.service.assertions;

import java.time.Duration;
import java.util.List;

/**
 * What a client assertion must satisfy besides its signature: one of the accepted
 * {@code audiences} in its aud; a lifetime ({@code exp} minus {@code iat}, or minus now
 * without iat) of at most {@code maxLifetime}; and time claims within {@code clockSkew}.
 *
 * @param audiences accepted aud values; at least one
 */
public record AssertionRules(List<String> audiences, Duration maxLifetime, Duration clockSkew) {

  /** FAPI-style: client assertions are short-lived. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  public AssertionRules {
    audiences = List.copyOf(audiences);
  }

  /** The defaults with {@code audiences}. */
  public static AssertionRules of(List<String> audiences) {
    return new AssertionRules(audiences, DEFAULT_MAX_LIFETIME, DEFAULT_CLOCK_SKEW);
  }

  /** These rules with other accepted audiences (a request's own). */
  public AssertionRules withAudiences(List<String> other) {
    return new AssertionRules(other, maxLifetime, clockSkew);
  }
}
