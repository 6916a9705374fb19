package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The gate holds a write until the lease holders' commit indices reach it, passes at once when
 * no lease binds, and fails what still waits when it closes.
 */
class AckGateTest {

  private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(10));
  private final FollowerLeases leases = new FollowerLeases(nanos::get);
  private final AtomicReference<Map<String, Long>> commits =
      new AtomicReference<>(Map.of("n1", 0L));

  private AckGate leading() {
    leases.leads(1);
    nanos.addAndGet(FollowerLeases.HOLD_NANOS);
    return new AckGate(leases, () -> 1, commits::get, "n0");
  }

  @Test
  void noLeaseGranted_passesAtOnce() {
    try (AckGate gate = leading()) {
      assertTrue(gate.await(5).isDone());
    }
  }

  @Test
  void aHoldersCommit_releasesTheWritesAtOrBelowIt() throws Exception {
    try (AckGate gate = leading()) {
      leases.granted("n1");
      CompletableFuture<Void> five = gate.await(5);
      CompletableFuture<Void> nine = gate.await(9);
      Thread.sleep(20);
      assertFalse(five.isDone(), "n1 has not committed 5");
      commits.set(Map.of("n1", 6L));
      five.get(5, TimeUnit.SECONDS);
      Thread.sleep(20);
      assertFalse(nine.isDone());
      commits.set(Map.of("n1", 9L));
      nine.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLapsedLease_releasesTheWrite() throws Exception {
    try (AckGate gate = leading()) {
      leases.granted("n1");
      CompletableFuture<Void> write = gate.await(5);
      Thread.sleep(20);
      assertFalse(write.isDone());
      nanos.addAndGet(FollowerLeases.HOLD_NANOS);
      write.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void closing_failsWhatWaits() {
    AckGate gate = leading();
    leases.granted("n1");
    CompletableFuture<Void> write = gate.await(5);
    gate.close();
    assertThrows(ExecutionException.class, () -> write.get(5, TimeUnit.SECONDS));
  }
}
