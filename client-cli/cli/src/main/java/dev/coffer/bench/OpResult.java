package dev.coffer.bench;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one operation did in one measured window. Latencies are those of successful calls, in
 * microseconds, from HdrHistogram (3 significant digits); {@code opsPerSec} counts successful
 * calls over the whole window. Security: counts and times only.
 *
 * @param operation the operation, or null for the total row of a mix
 * @param ops successful calls
 * @param opsPerSec successful calls per second of the window
 * @param errors failed calls by gRPC status code name (or {@code NO_MATCH}, {@code NOT_SERVING}
 *     for an answer that is not the expected one), sorted by name
 */
public record OpResult(Operation operation, long ops, double opsPerSec, long p50Micros,
    long p99Micros, long p999Micros, long maxMicros, SortedMap<String, Long> errors) {

  public OpResult {
    errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors));
  }

  /** All failed calls. */
  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The label in reports: the operation's name, or {@code total}. */
  public String label() {
    return operation == null ? "total" : operation.cliName();
  }
}
