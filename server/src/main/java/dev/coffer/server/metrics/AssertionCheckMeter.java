package dev.coffer.server.metrics;

import dev.coffer.server.service.assertions.ClientAssertions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts client assertion checks in {@code coffer_client_assertions_total}, labelled
 * {@code result}: {@code valid}, or the failure ({@code expired}, {@code replayed},
 * {@code bad_signature}...). A rise in {@code replayed} or {@code bad_signature} is worth an
 * alert. Security: only the result is a label; never a client id, key or assertion.
 */
public final class AssertionCheckMeter implements ClientAssertions.Listener {

  static final String NAME = "coffer.client.assertions";

  private final Counter valid;
  private final Map<ClientAssertions.Failure, Counter> failures =
      new EnumMap<>(ClientAssertions.Failure.class);

  public AssertionCheckMeter(MeterRegistry registry) {
    valid = counter(registry, "valid");
    for (ClientAssertions.Failure f : ClientAssertions.Failure.values()) {
      failures.put(f, counter(registry, Labels.word(f)));
    }
  }

  private static Counter counter(MeterRegistry registry, String result) {
    return Counter.builder(NAME).description("Client assertion checks, by result")
        .tag("result", result).register(registry);
  }

  @Override
  public void checked(ClientAssertions.Failure failureOrNull) {
    (failureOrNull == null ? valid : failures.get(failureOrNull)).increment();
  }
}
