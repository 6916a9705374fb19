package dev.coffer.server.audit;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The thread that drains an audit log's queue: {@link #signal} after queueing runs the log's
 * drain task on one daemon thread of its own, at most one run pending at a time, and never
 * misses a signal (the pending mark is cleared before the task starts, so work queued while it
 * runs schedules another run). Shared by the single node's {@link ChainedAuditLog} and a
 * cluster node's replicated audit log, whose tasks differ (write a group, propose an entry).
 */
public final class QueueWriter implements AutoCloseable {

  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain;
  private final ExecutorService thread;

  /** A writer running {@code drain} on a daemon thread named {@code threadName}. */
  public QueueWriter(String threadName, Runnable drain) {
    this.drain = drain;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Schedules a run of the drain task unless one is already pending.
   *
   * @return false once the writer is closed: the caller must then finish (or fail) what it
   *     queued itself, since no run will come
   */
  public boolean signal() {
    if (!scheduled.compareAndSet(false, true)) {
      return true;
    }
    try {
      thread.execute(() -> {
        scheduled.set(false); // work queued from here on schedules another run
        drain.run();
      });
      return true;
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
      return false;
    }
  }

  /** Takes no more runs and waits (at most 30 s) for the pending ones, then interrupts. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
