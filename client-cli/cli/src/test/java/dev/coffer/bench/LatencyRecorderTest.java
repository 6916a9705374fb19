package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void percentilesOfSuccesses_areWithinHdrHistogramPrecision() {
    LatencyRecorder r = new LatencyRecorder(List.of(Operation.VERIFY));
    for (int micros = 1; micros <= 1000; micros++) {
      r.record(Operation.VERIFY, TimeUnit.MICROSECONDS.toNanos(micros), null);
    }
    OpResult v = r.results(2 * SECOND).get(0);
    assertEquals(Operation.VERIFY, v.operation());
    assertEquals(1000, v.ops());
    assertEquals(500.0, v.opsPerSec(), 1e-9);
    assertNear(500, v.p50Micros());
    assertNear(990, v.p99Micros());
    assertNear(999, v.p999Micros());
    assertNear(1000, v.maxMicros());
    assertEquals(Map.of(), v.errors());
  }

  @Test
  void failures_areCountedByCode_andKeptOutOfTheLatencies() {
    LatencyRecorder r = new LatencyRecorder(List.of(Operation.REVEAL));
    r.record(Operation.REVEAL, 5_000, null);
    r.record(Operation.REVEAL, 9_000_000_000L, "DEADLINE_EXCEEDED");
    r.record(Operation.REVEAL, 1, "UNAVAILABLE");
    r.record(Operation.REVEAL, 1, "UNAVAILABLE");
    assertEquals(4, r.finished());
    assertEquals(3, r.failed());
    OpResult reveal = r.results(SECOND).get(0);
    assertEquals(1, reveal.ops());
    assertNear(5, reveal.maxMicros());
    assertEquals(Map.of("DEADLINE_EXCEEDED", 1L, "UNAVAILABLE", 2L), reveal.errors());
    assertEquals(3, reveal.errorCount());
  }

  @Test
  void severalOperations_getARowEach_inOrder_andATotalRow() {
    LatencyRecorder r = new LatencyRecorder(List.of(Operation.REVEAL, Operation.CREATE));
    for (int i = 0; i < 90; i++) {
      r.record(Operation.REVEAL, 100_000, null);
    }
    for (int i = 0; i < 10; i++) {
      r.record(Operation.CREATE, 10_000_000, null);
    }
    r.record(Operation.CREATE, 1, "INTERNAL");
    List<OpResult> rows = r.results(SECOND);
    assertEquals(List.of("reveal", "create", "total"), rows.stream().map(OpResult::label).toList());
    OpResult total = rows.get(2);
    assertNull(total.operation());
    assertEquals(100, total.ops());
    assertEquals(100.0, total.opsPerSec(), 1e-9);
    assertNear(100, total.p50Micros());
    assertNear(10_000, total.p99Micros());
    assertEquals(Map.of("INTERNAL", 1L), total.errors());
  }

  @Test
  void anOperationWithoutSuccesses_reportsZeros() {
    LatencyRecorder r = new LatencyRecorder(List.of(Operation.LIST));
    OpResult list = r.results(SECOND).get(0);
    assertEquals(0, list.ops());
    assertEquals(0, list.p99Micros());
    assertEquals(0, list.maxMicros());
  }

  /** HdrHistogram with 3 significant digits: within 0.1 %, and integer microseconds. */
  private static void assertNear(long expected, long actual) {
    assertTrue(Math.abs(expected - actual) <= Math.max(1, expected / 1000),
        "expected about " + expected + " but was " + actual);
  }
}
