package dev.coffer.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records the calls of one window, per operation: the latency of each success in an
 * HdrHistogram {@link Recorder} (wait-free, from any thread), and failures counted by status
 * code. {@link #results} reads them once the window has drained. Security: counts and times
 * only.
 */
public final class LatencyRecorder {

  private static final int SIGNIFICANT_DIGITS = 3;

  private final Map<Operation, PerOperation> byOperation = new EnumMap<>(Operation.class);
  private final List<Operation> order;

  /** A recorder for exactly these operations. */
  public LatencyRecorder(List<Operation> operations) {
    this.order = List.copyOf(operations);
    for (Operation op : order) {
      byOperation.put(op, new PerOperation());
    }
  }

  /**
   * Records one finished call.
   *
   * @param failure null for a success, else the status code name (or another short word)
   */
  public void record(Operation op, long latencyNanos, String failure) {
    PerOperation p = byOperation.get(op);
    if (failure == null) {
      p.latencies.recordValue(Math.max(0, latencyNanos));
      p.successes.increment();
    } else {
      p.errors.computeIfAbsent(failure, k -> new LongAdder()).increment();
    }
  }

  /** Calls finished so far, successes and failures, all operations. */
  public long finished() {
    return byOperation.values().stream().mapToLong(p -> p.successes.sum() + p.failed()).sum();
  }

  /** Failed calls so far, all operations. */
  public long failed() {
    return byOperation.values().stream().mapToLong(PerOperation::failed).sum();
  }

  /**
   * The figures of each operation over a window of {@code elapsedNanos}, in the order given at
   * construction, and with more than one operation a last {@code total} row. Call once, after
   * the window drained.
   */
  public List<OpResult> results(long elapsedNanos) {
    List<OpResult> rows = new ArrayList<>();
    Histogram all = new Histogram(SIGNIFICANT_DIGITS);
    SortedMap<String, Long> allErrors = new TreeMap<>();
    for (Operation op : order) {
      PerOperation p = byOperation.get(op);
      Histogram h = p.latencies.getIntervalHistogram();
      SortedMap<String, Long> errors = new TreeMap<>();
      p.errors.forEach((k, v) -> errors.put(k, v.sum()));
      rows.add(figures(op, h, errors, elapsedNanos));
      all.add(h);
      errors.forEach((k, v) -> allErrors.merge(k, v, Long::sum));
    }
    if (order.size() > 1) {
      rows.add(figures(null, all, allErrors, elapsedNanos));
    }
    return rows;
  }

  private static OpResult figures(Operation op, Histogram h, SortedMap<String, Long> errors,
      long elapsedNanos) {
    long ops = h.getTotalCount();
    double seconds = elapsedNanos / 1e9;
    return new OpResult(op, ops, seconds > 0 ? ops / seconds : 0,
        micros(h, 50.0), micros(h, 99.0), micros(h, 99.9),
        ops == 0 ? 0 : TimeUnit.NANOSECONDS.toMicros(h.getMaxValue()), errors);
  }

  private static long micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0
        : TimeUnit.NANOSECONDS.toMicros(h.getValueAtPercentile(percentile));
  }

  /** One operation's latencies and failures. */
  private static final class PerOperation {
    final Recorder latencies = new Recorder(SIGNIFICANT_DIGITS);
    final LongAdder successes = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    long failed() {
      return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }
  }
}
