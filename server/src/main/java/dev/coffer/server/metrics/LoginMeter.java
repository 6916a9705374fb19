package dev.coffer.server.metrics;

import dev.coffer.server.service.identity.FederatedLogin;
import dev.coffer.server.service.identity.LoginFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts sign-ins with trusted issuers' JWTs (identity federation) in
 * {@code coffer_logins_total}, labelled {@code result}: {@code ok}, or the failure's name in
 * lower case ({@code expired}, {@code no_binding}, {@code bad_signature}...). A rise in
 * {@code bad_signature}, {@code unsupported_algorithm} or {@code replayed} is worth an alert;
 * one in {@code issuer_unreachable} means an issuer's keys cannot be fetched. Security: only
 * the result is a label; never a tenant, issuer, principal or token.
 */
public final class LoginMeter implements FederatedLogin.Listener {

  static final String NAME = "coffer.logins";

  private final Counter ok;
  private final Map<LoginFailure, Counter> failures = new EnumMap<>(LoginFailure.class);

  public LoginMeter(MeterRegistry registry) {
    ok = counter(registry, "ok");
    for (LoginFailure f : LoginFailure.values()) {
      failures.put(f, counter(registry, Labels.word(f)));
    }
  }

  private static Counter counter(MeterRegistry registry, String result) {
    return Counter.builder(NAME).description("Sign-ins with trusted issuers' JWTs, by result")
        .tag("result", result).register(registry);
  }

  @Override
  public void loggedIn(LoginFailure failureOrNull) {
    (failureOrNull == null ? ok : failures.get(failureOrNull)).increment();
  }
}
