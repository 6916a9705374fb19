package dev.coffer.server.service.kernel;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A background job that runs on its own daemon thread with a fixed delay between runs. A
 * run that throws is logged by exception class only (never its message, which could name
 * a record) and the schedule goes on. {@link #close} stops it and waits up to 5 s for a
 * run in progress; call it without holding a lock the job takes. Package-private: only
 * {@link BackgroundJobs}, the one owner of background work, runs periodic tasks.
 */
final class PeriodicTask implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeriodicTask.class.getName());

  private final ScheduledExecutorService scheduler;

  private PeriodicTask(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Runs {@code job} after {@code initialDelay}, then {@code period} after each run ends. */
  static PeriodicTask start(String threadName, Duration initialDelay, Duration period,
      Runnable job) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        job.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "{0} failed: {1}",
            new Object[] {threadName, e.getClass().getName()});
      }
    }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return new PeriodicTask(scheduler);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
