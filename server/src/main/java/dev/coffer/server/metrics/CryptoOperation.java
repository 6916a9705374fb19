package dev.coffer.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * Counts one kind of cryptographic operation in {@code coffer_crypto_operations_total},
 * labelled with the operation name and {@code result="success"} or {@code "failure"} (the
 * operation threw). A MAC verification that answers "no match" is a success: the operation
 * worked, the value was wrong.
 *
 * <p>Security: labels are fixed words; nothing about keys, values or records is counted.
 */
final class CryptoOperation {

  static final String NAME = "coffer.crypto.operations";

  private final Counter success;
  private final Counter failure;

  CryptoOperation(MeterRegistry registry, String operation) {
    this.success = counter(registry, operation, "success");
    this.failure = counter(registry, operation, "failure");
  }

  /** Runs {@code operation}, counting it as a success or, if it throws, a failure. */
  <T> T count(Supplier<T> operation) {
    T result;
    try {
      result = operation.get();
    } catch (RuntimeException e) {
      failure.increment();
      throw e;
    }
    success.increment();
    return result;
  }

  private static Counter counter(MeterRegistry registry, String operation, String result) {
    return Counter.builder(NAME)
        .description("Cryptographic operations by kind and result")
        .tag("operation", operation)
        .tag("result", result)
        .register(registry);
  }
}
