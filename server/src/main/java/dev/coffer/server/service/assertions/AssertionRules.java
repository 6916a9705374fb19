package dev.coffer.server.service.assertions;

import java.time.Duration;
import java.util.List;

/**
 * What a client assertion must satisfy besides its signature: one of the accepted
 * {@code audiences} in its aud; a lifetime ({@code exp} minus {@code iat}, or minus now
 * without iat) of at most {@code maxLifetime}; and time claims within {@code clockSkew}.
 *
 * @param audiences accepted aud values; at least one
 * @see dev.coffer.server.config.ServerConfig.Assertions where the defaults are (FAPI-style:
 *     client assertions are short-lived)
 */
public record AssertionRules(List<String> audiences, Duration maxLifetime, Duration clockSkew) {

  public AssertionRules {
    audiences = List.copyOf(audiences);
  }

  /** These rules with other accepted audiences (a request's own). */
  public AssertionRules withAudiences(List<String> other) {
    return new AssertionRules(other, maxLifetime, clockSkew);
  }
}
