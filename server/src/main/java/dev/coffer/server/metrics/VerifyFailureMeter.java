package dev.coffer.server.metrics;

import dev.coffer.server.service.secrets.SecretVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts refused secret verifications in {@code coffer_verify_failures_total}, labelled
 * {@code reason="no_match"} (a well-formed value that matched no active secret) or
 * {@code reason="rate_limited"} (the client's failure budget was spent). A spike is the
 * signature of someone guessing.
 *
 * <p>Security: the only label is the failure kind; the client id, secret ids and the
 * presented value are never seen here.
 */
public final class VerifyFailureMeter implements SecretVerifier.FailureListener {

  static final String NAME = "coffer.verify.failures";

  private final Map<SecretVerifier.Failure, Counter> counters =
      new EnumMap<>(SecretVerifier.Failure.class);

  public VerifyFailureMeter(MeterRegistry registry) {
    for (SecretVerifier.Failure failure : SecretVerifier.Failure.values()) {
      counters.put(failure, Counter.builder(NAME)
          .description("Secret verifications refused, by reason")
          .tag("reason", Labels.word(failure))
          .register(registry));
    }
  }

  @Override
  public void failed(SecretVerifier.Failure failure) {
    counters.get(failure).increment();
  }
}
