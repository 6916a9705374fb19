package dev.coffer.server.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Coalesces linearizable read barriers. A round that starts after a caller arrived satisfies it
 * (a round already in flight may have fixed its read index before the caller came, so it does
 * not). Up to {@link #MAX_IN_FLIGHT} rounds run at once: a caller arriving while fewer are in
 * flight starts one at once; one arriving while that many are in flight joins the round that
 * starts when the first of them ends. Under load, concurrent readers therefore share round
 * trips to the leader, and a reader waits for one round, or at most half a round plus one
 * round (with one round at a time, it waited for the rest of a round plus one: through a
 * follower, where a round is a call to the leader, that was half as much again).
 *
 * <p>A round that fails or takes longer than {@link #ROUND_MILLIS} (its leader was just
 * killed: a ReadIndex request to it hangs until the server's read timeout) is started again
 * for the same callers after {@link #RETRY_PAUSE_MILLIS}, until one succeeds or
 * {@link #GIVE_UP_MILLIS} have passed since their first round; then they fail. So a new
 * leader serves the barrier within about a round of its election.
 *
 * <p>A round may complete on the thread that started it (on the leader, whose lease answers at
 * once): the next round is therefore always started from {@link #rounds}, never from inside the
 * completion of the previous one, so a steady stream of readers cannot nest rounds on one
 * stack.
 *
 * <p>{@link #rounds()} and {@link #callers()} count what it did: their ratio is how many
 * callers shared a round.
 *
 * <p>Thread-safe.
 */
final class ReadBarrier {

  static final int MAX_IN_FLIGHT = 2;
  static final long ROUND_MILLIS = 500;
  static final long RETRY_PAUSE_MILLIS = 50;
  static final long GIVE_UP_MILLIS = 10_000;

  private final Supplier<CompletableFuture<?>> round;
  private final Executor rounds;
  private CompletableFuture<Void> next; // guarded by this: the round callers join now
  private int inFlight; // guarded by this
  private final LongAdder started = new LongAdder();
  private final LongAdder callers = new LongAdder();

  /**
   * @param round starts one barrier: it completes once this node may serve a read
   * @param rounds where a round that follows another is started
   */
  ReadBarrier(Supplier<CompletableFuture<?>> round, Executor rounds) {
    this.round = round;
    this.rounds = rounds;
  }

  /** Completes once a round that started after this call has completed. */
  CompletableFuture<Void> await() {
    callers.increment();
    CompletableFuture<Void> joined;
    boolean start;
    boolean first;
    synchronized (this) {
      if (next == null) {
        next = new CompletableFuture<>();
      }
      joined = next;
      start = inFlight < MAX_IN_FLIGHT;
      first = inFlight == 0;
      if (start) {
        inFlight++;
        next = null;
      }
    }
    long now = System.nanoTime();
    if (start && first) {
      run(joined, now);
    } else if (start) {
      rounds.execute(() -> run(joined, now)); // never inside a round that is being started
    }
    return joined;
  }

  /** Rounds started so far, retries included. */
  long rounds() {
    return started.sum();
  }

  /** Callers that have waited for a round so far. */
  long callers() {
    return callers.sum();
  }

  private void run(CompletableFuture<Void> waiters, long firstRound) {
    started.increment();
    CompletableFuture<?> pending;
    try {
      pending = round.get();
    } catch (RuntimeException e) {
      pending = CompletableFuture.failedFuture(e);
    }
    pending.orTimeout(ROUND_MILLIS, TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
      if (failure != null && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstRound)
          < GIVE_UP_MILLIS) {
        CompletableFuture.delayedExecutor(RETRY_PAUSE_MILLIS, TimeUnit.MILLISECONDS)
            .execute(() -> run(waiters, firstRound));
        return;
      }
      CompletableFuture<Void> following;
      synchronized (this) {
        following = next;
        next = null;
        if (following == null) {
          inFlight--;
        }
      }
      if (failure == null) {
        waiters.complete(null);
      } else {
        waiters.completeExceptionally(failure);
      }
      if (following != null) {
        long firstOfNext = System.nanoTime();
        rounds.execute(() -> run(following, firstOfNext));
      }
    });
  }
}
