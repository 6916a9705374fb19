package dev.coffer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Runs {@code task(0..count-1)} on a few threads, for preparing and cleaning up bench data
 * with blocking calls (each with its own deadline, so the whole is bounded). Security: sees no
 * data; failures are kept as thrown.
 */
final class BoundedParallel {

  /** How a batch went: tasks that succeeded, failed, and the first failure. */
  record Outcome(long succeeded, long failed, RuntimeException firstFailure) {}

  private BoundedParallel() {}

  /**
   * Runs the tasks; with {@code stopOnFailure} no new task starts after the first failure.
   *
   * @param progress told the number of finished tasks after each one
   */
  static Outcome run(int count, int threads, boolean stopOnFailure, IntConsumer task,
      LongConsumer progress) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    LongAdder succeeded = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicReference<RuntimeException> first = new AtomicReference<>();
    int n = Math.max(1, Math.min(threads, count));
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "coffer-bench-prepare");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < n; w++) {
        workers.add(pool.submit(() -> {
          int i;
          while ((!stopOnFailure || first.get() == null) && (i = next.getAndIncrement()) < count) {
            try {
              task.accept(i);
              succeeded.increment();
            } catch (RuntimeException e) {
              failed.increment();
              first.compareAndSet(null, e);
            }
            progress.accept(succeeded.sum() + failed.sum());
          }
        }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a preparation worker failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(succeeded.sum(), failed.sum(), first.get());
  }
}
