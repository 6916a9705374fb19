package dev.coffer.bench;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Closed-loop load: {@code concurrency} slots, each with exactly one call in flight; a
 * finished call records its latency and starts the slot's next call, on connection {@code
 * slot % channels}. A phase is a warm-up window (not reported) and then a measured window;
 * each window stops admitting calls at its time limit or after {@code maxOps} calls,
 * whichever comes first, and ends when its last call has finished (every call has a
 * deadline, so a window lasts at most its time plus one deadline; past that plus a margin
 * the runner gives up with an exception). One phase at a time; not reentrant.
 *
 * <p>Security: sees operation names, times and status codes only.
 */
public final class ClosedLoopRunner implements AutoCloseable {

  /** Inline completions (a call failing inside {@code start}) nest at most this deep. */
  private static final int MAX_INLINE_DEPTH = 16;
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** The shape of every phase. */
  public record Settings(int concurrency, int channels, Duration warmup, Duration duration,
      long maxOps, Duration callDeadline) {}

  /** A window in progress, for a progress line. */
  public record Progress(String phase, boolean measuring, long elapsedNanos, long windowNanos,
      long finished, long failed) {}

  private final Settings settings;
  private final LongSupplier ticker;
  private final ExecutorService hop = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "coffer-bench-hop");
    t.setDaemon(true);
    return t;
  });
  private volatile Window current;

  public ClosedLoopRunner(Settings settings) {
    this(settings, System::nanoTime);
  }

  ClosedLoopRunner(Settings settings, LongSupplier ticker) {
    this.settings = settings;
    this.ticker = ticker;
  }

  /**
   * Runs one phase: warm-up (when not zero), then the measured window.
   *
   * @throws IllegalStateException if calls are still in flight long after the window
   */
  public PhaseResult run(Mix mix, Map<Operation, Workload> workloads)
      throws InterruptedException {
    LatencyRecorder recorder = new LatencyRecorder(mix.operations());
    long elapsed = runInto(mix, workloads, settings.warmup(), settings.duration(), recorder);
    return new PhaseResult(mix, elapsed, recorder.results(elapsed));
  }

  /**
   * Runs a warm-up of {@code warmup} (when not zero), then one measured window of
   * {@code window} whose calls go to {@code into}, which may already hold earlier windows of
   * the same mix. Returns the measured window's length in nanoseconds (first call started
   * to last call finished).
   *
   * @throws IllegalStateException if calls are still in flight long after the window
   */
  public long runInto(Mix mix, Map<Operation, Workload> workloads, Duration warmup,
      Duration window, LatencyRecorder into) throws InterruptedException {
    if (!warmup.isZero()) {
      runWindow(new Window(mix, workloads, false, warmup, new LatencyRecorder(mix.operations())));
    }
    Window measured = new Window(mix, workloads, true, window, into);
    runWindow(measured);
    return measured.drainedAt - measured.start;
  }

  /** The window in progress, or null between phases. */
  public Progress progress() {
    Window w = current;
    if (w == null) {
      return null;
    }
    return new Progress(w.mix.label(), w.measured, ticker.getAsLong() - w.start,
        w.limitNanos, w.recorder.finished(), w.recorder.failed());
  }

  private void runWindow(Window w) throws InterruptedException {
    current = w;
    try {
      for (int slot = 0; slot < settings.concurrency(); slot++) {
        next(w, slot);
      }
      long grace = settings.callDeadline().plusSeconds(10).toNanos();
      if (!w.drained.await(w.limitNanos + grace, TimeUnit.NANOSECONDS)) {
        w.stopAdmitting();
        if (!w.drained.await(grace, TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException(w.active.get() + " calls of " + w.mix.label()
              + " did not finish long after their deadline");
        }
      }
    } finally {
      current = null;
    }
  }

  private void next(Window w, int slot) {
    if (!w.admit()) {
      w.slotEnded();
      return;
    }
    if (DEPTH.get()[0] >= MAX_INLINE_DEPTH) {
      hop.execute(() -> issue(w, slot));
    } else {
      issue(w, slot);
    }
  }

  private void issue(Window w, int slot) {
    Operation op = w.mix.isSingle() ? w.mix.entries().get(0).operation()
        : w.mix.pick(ThreadLocalRandom.current().nextInt(w.totalWeight));
    long started = ticker.getAsLong();
    Workload.Done done = failure -> {
      w.recorder.record(op, ticker.getAsLong() - started, failure);
      next(w, slot);
    };
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      w.workloads.get(op).start(slot, slot % settings.channels(), done);
    } catch (RuntimeException e) {
      done.done(Status.fromThrowable(e).getCode().name());
    } finally {
      depth[0]--;
    }
  }

  @Override
  public void close() {
    hop.shutdownNow();
  }

  /** One window: its limits, its slots still running, its recorder. */
  private final class Window {
    final Mix mix;
    final Map<Operation, Workload> workloads;
    final boolean measured;
    final int totalWeight;
    final long limitNanos;
    final long start = ticker.getAsLong();
    final AtomicLong issued = new AtomicLong();
    final AtomicInteger active = new AtomicInteger(settings.concurrency());
    final CountDownLatch drained = new CountDownLatch(1);
    final LatencyRecorder recorder;
    volatile long end;
    volatile long drainedAt;

    Window(Mix mix, Map<Operation, Workload> workloads, boolean measured, Duration limit,
        LatencyRecorder recorder) {
      this.mix = mix;
      this.workloads = workloads;
      this.measured = measured;
      this.totalWeight = mix.totalWeight();
      this.limitNanos = limit.toNanos();
      this.end = start + limitNanos;
      this.recorder = recorder;
    }

    boolean admit() {
      return ticker.getAsLong() - end < 0 && issued.getAndIncrement() < settings.maxOps();
    }

    void stopAdmitting() {
      end = start;
    }

    void slotEnded() {
      if (active.decrementAndGet() == 0) {
        drainedAt = ticker.getAsLong();
        drained.countDown();
      }
    }
  }
}
