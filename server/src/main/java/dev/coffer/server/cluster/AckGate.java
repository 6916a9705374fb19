package dev.coffer.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Holds each write's acknowledgement until {@link FollowerLeases#acknowledgeable} allows it:
 * until every follower whose read lease may be in use has committed the write, or its lease
 * lapsed. One thread checks the waiting writes against the followers' commit indices as the
 * leader last heard them, every {@link #POLL_MICROS} while any waits (Ratis tells a state
 * machine nothing when a follower's commit index moves), and sleeps while none does.
 *
 * <p>Futures complete on that thread: callers continue elsewhere. Thread-safe.
 */
final class AckGate implements AutoCloseable {

  static final long POLL_MICROS = 200;

  private record Waiter(long index, CompletableFuture<Void> future)
      implements Comparable<Waiter> {
    @Override
    public int compareTo(Waiter other) {
      return Long.compare(index, other.index);
    }
  }

  private static final CompletableFuture<Void> PASSED = CompletableFuture.completedFuture(null);

  private final FollowerLeases leases;
  private final LongSupplier leadingTerm;
  private final Supplier<Map<String, Long>> commits;
  private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(); // guarded by this
  private final Thread checker;
  private volatile boolean closed;

  /**
   * @param leadingTerm the term this node leads now, -1 when it does not lead
   * @param commits each follower's commit index as this node (leading) last heard it
   */
  AckGate(FollowerLeases leases, LongSupplier leadingTerm, Supplier<Map<String, Long>> commits,
      String nodeId) {
    this.leases = leases;
    this.leadingTerm = leadingTerm;
    this.commits = commits;
    this.checker = new Thread(this::check, "coffer-cluster-ack-gate-" + nodeId);
    checker.setDaemon(true);
    checker.start();
  }

  /** Completes once a write at {@code index} may be acknowledged. */
  CompletableFuture<Void> await(long index) {
    long term = leadingTerm.getAsLong();
    if (!leases.anyLive() && (term < 0 || leases.settled(term))) {
      return PASSED;
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (this) {
      waiting.add(new Waiter(index, future));
    }
    LockSupport.unpark(checker);
    return future;
  }

  private void check() {
    while (!closed) {
      boolean empty;
      synchronized (this) {
        empty = waiting.isEmpty();
      }
      if (empty) {
        LockSupport.park(this);
        continue;
      }
      long term = leadingTerm.getAsLong();
      long allowed;
      try {
        allowed = leases.acknowledgeable(term,
            term >= 0 && leases.anyLive() ? commits.get() : Map.of());
      } catch (RuntimeException e) {
        allowed = -1; // the division is going away: close fails the waiters
      }
      List<CompletableFuture<Void>> passed = new ArrayList<>();
      synchronized (this) {
        while (!waiting.isEmpty() && waiting.peek().index() <= allowed) {
          passed.add(waiting.poll().future());
        }
      }
      passed.forEach(future -> future.complete(null));
      LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(POLL_MICROS));
    }
  }

  /** Stops the checker; writes still waiting fail. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(checker);
    List<Waiter> left;
    synchronized (this) {
      left = new ArrayList<>(waiting);
      waiting.clear();
    }
    left.forEach(w -> w.future().completeExceptionally(
        new IllegalStateException("the node is closing")));
  }
}
