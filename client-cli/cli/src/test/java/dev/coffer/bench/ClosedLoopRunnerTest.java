package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ClosedLoopRunnerTest {

  private final ExecutorService transport = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    transport.shutdownNow();
  }

  /** Finishes each call on another thread; counts calls in flight and checks the channel. */
  private final class AsyncWorkload implements Workload {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicLong started = new AtomicLong();
    final AtomicInteger wrongChannel = new AtomicInteger();
    final int channels;

    AsyncWorkload(int channels) {
      this.channels = channels;
    }

    @Override
    public Operation operation() {
      return Operation.HEALTH;
    }

    @Override
    public void start(int slot, int channel, Done done) {
      started.incrementAndGet();
      if (channel != slot % channels) {
        wrongChannel.incrementAndGet();
      }
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      transport.execute(() -> {
        inFlight.decrementAndGet();
        done.done(null);
      });
    }
  }

  private static ClosedLoopRunner runner(int concurrency, int channels, Duration warmup,
      Duration duration, long maxOps) {
    return new ClosedLoopRunner(new ClosedLoopRunner.Settings(concurrency, channels, warmup,
        duration, maxOps, Duration.ofSeconds(5)));
  }

  @Test
  void aWindowStopsAfterMaxOps_withAtMostConcurrencyCallsInFlight_spreadOverTheChannels()
      throws Exception {
    AsyncWorkload w = new AsyncWorkload(3);
    try (ClosedLoopRunner r = runner(8, 3, Duration.ZERO, Duration.ofMinutes(1), 500)) {
      PhaseResult result = r.run(Mix.of(Operation.HEALTH), Map.of(Operation.HEALTH, w));
      assertEquals(500, result.rows().get(0).ops());
      assertEquals(0, result.errorCount());
      assertTrue(result.elapsedNanos() > 0);
    }
    assertEquals(500, w.started.get());
    assertTrue(w.maxInFlight.get() <= 8, "in flight at most: " + w.maxInFlight.get());
    assertEquals(0, w.wrongChannel.get());
  }

  @Test
  void aWindowStopsAtItsTime_whenMaxOpsIsFarAway() throws Exception {
    AsyncWorkload w = new AsyncWorkload(1);
    try (ClosedLoopRunner r = runner(2, 1, Duration.ZERO, Duration.ofMillis(200),
        1_000_000_000L)) {
      PhaseResult result = r.run(Mix.of(Operation.HEALTH), Map.of(Operation.HEALTH, w));
      assertTrue(result.rows().get(0).ops() > 0);
      assertEquals(w.started.get(), result.rows().get(0).ops());
    }
  }

  @Test
  void windowsRunInto_oneRecorder_addUp() throws Exception {
    AsyncWorkload w = new AsyncWorkload(1);
    try (ClosedLoopRunner r = runner(4, 1, Duration.ZERO, Duration.ofMinutes(1), 70)) {
      LatencyRecorder into = new LatencyRecorder(List.of(Operation.HEALTH));
      long first = r.runInto(Mix.of(Operation.HEALTH), Map.of(Operation.HEALTH, w),
          Duration.ZERO, Duration.ofMinutes(1), into);
      long second = r.runInto(Mix.of(Operation.HEALTH), Map.of(Operation.HEALTH, w),
          Duration.ofMinutes(1), Duration.ofMinutes(1), into); // its 70 warm-up calls: not kept
      assertTrue(first > 0 && second > 0);
      assertEquals(140, into.results(first + second).get(0).ops());
    }
    assertEquals(210, w.started.get());
  }

  @Test
  void warmUpCalls_areNotReported() throws Exception {
    AsyncWorkload w = new AsyncWorkload(2);
    try (ClosedLoopRunner r = runner(4, 2, Duration.ofMinutes(1), Duration.ofMinutes(1), 100)) {
      PhaseResult result = r.run(Mix.of(Operation.HEALTH), Map.of(Operation.HEALTH, w));
      assertEquals(100, result.rows().get(0).ops());
    }
    assertEquals(200, w.started.get());
  }

  @Test
  void callsFinishingInsideStart_doNotNestWithoutBound() throws Exception {
    Workload inline = new Workload() {
      @Override
      public Operation operation() {
        return Operation.VERIFY;
      }

      @Override
      public void start(int slot, int channel, Done done) {
        done.done(null);
      }
    };
    try (ClosedLoopRunner r = runner(1, 1, Duration.ZERO, Duration.ofMinutes(1), 200_000)) {
      PhaseResult result = r.run(Mix.of(Operation.VERIFY), Map.of(Operation.VERIFY, inline));
      assertEquals(200_000, result.rows().get(0).ops());
    }
  }

  @Test
  void failuresAndThrowingStarts_areCountedByCode() throws Exception {
    AtomicInteger n = new AtomicInteger();
    Workload flaky = new Workload() {
      @Override
      public Operation operation() {
        return Operation.REVEAL;
      }

      @Override
      public void start(int slot, int channel, Done done) {
        int i = n.incrementAndGet();
        if (i % 3 == 0) {
          throw new IllegalStateException("boom");
        }
        transport.execute(() -> done.done(i % 3 == 1 ? null : "UNAVAILABLE"));
      }
    };
    try (ClosedLoopRunner r = runner(3, 1, Duration.ZERO, Duration.ofMinutes(1), 300)) {
      PhaseResult result = r.run(Mix.of(Operation.REVEAL), Map.of(Operation.REVEAL, flaky));
      OpResult reveal = result.rows().get(0);
      assertEquals(100, reveal.ops());
      assertEquals(Map.of("UNAVAILABLE", 100L, "UNKNOWN", 100L), reveal.errors());
      assertEquals(200, result.errorCount());
    }
  }

  @Test
  void aMix_issuesEveryOperationInIt_andAddsATotalRow() throws Exception {
    AsyncWorkload health = new AsyncWorkload(1);
    Workload verify = new Workload() {
      @Override
      public Operation operation() {
        return Operation.VERIFY;
      }

      @Override
      public void start(int slot, int channel, Done done) {
        transport.execute(() -> done.done(null));
      }
    };
    try (ClosedLoopRunner r = runner(4, 1, Duration.ZERO, Duration.ofMinutes(1), 2000)) {
      PhaseResult result = r.run(Mix.parse("health=1,verify=1"),
          Map.of(Operation.HEALTH, health, Operation.VERIFY, verify));
      assertEquals(3, result.rows().size());
      long h = result.rows().get(0).ops();
      long v = result.rows().get(1).ops();
      assertEquals(2000, h + v);
      assertEquals(2000, result.rows().get(2).ops());
      assertTrue(h > 0 && v > 0, h + " / " + v);
    }
  }
}
