package dev.coffer.server.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Coalesces linearizable read barriers. A caller that {@link #await}s joins the next round; one
 * round is in flight at a time, and a round that starts after a caller arrived satisfies it
 * (a round already in flight may have fixed its read index before the caller came, so it does
 * not). Under load, concurrent readers therefore share one round trip to the leader, and a
 * reader waits for at most the rest of one round plus one round.
 *
 * <p>Thread-safe. A round's failure fails exactly the callers that joined it.
 */
final class ReadBarrier {

  private final Supplier<CompletableFuture<?>> round;
  private CompletableFuture<Void> next; // guarded by this: the round callers join now
  private boolean inFlight; // guarded by this

  /** {@code round} starts one barrier: it completes once this node may serve a read. */
  ReadBarrier(Supplier<CompletableFuture<?>> round) {
    this.round = round;
  }

  /** Completes once a round that started after this call has completed. */
  CompletableFuture<Void> await() {
    CompletableFuture<Void> joined;
    boolean start;
    synchronized (this) {
      if (next == null) {
        next = new CompletableFuture<>();
      }
      joined = next;
      start = !inFlight;
      if (start) {
        inFlight = true;
        next = null;
      }
    }
    if (start) {
      run(joined);
    }
    return joined;
  }

  private void run(CompletableFuture<Void> waiters) {
    CompletableFuture<?> started;
    try {
      started = round.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete((ok, failure) -> {
      CompletableFuture<Void> following;
      synchronized (this) {
        following = next;
        next = null;
        inFlight = following != null;
      }
      if (failure == null) {
        waiters.complete(null);
      } else {
        waiters.completeExceptionally(failure);
      }
      if (following != null) {
        run(following);
      }
    });
  }
}
