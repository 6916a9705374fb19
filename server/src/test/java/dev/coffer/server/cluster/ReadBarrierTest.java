package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadBarrierTest {

  /** Rounds the test completes by hand, in order. */
  private final List<CompletableFuture<Object>> rounds = new ArrayList<>();
  private final ReadBarrier barrier = new ReadBarrier(() -> {
    CompletableFuture<Object> round = new CompletableFuture<>();
    synchronized (rounds) {
      rounds.add(round);
    }
    return round;
  }, Runnable::run);

  private CompletableFuture<Object> round(int i) {
    synchronized (rounds) {
      return rounds.get(i);
    }
  }

  private int roundCount() {
    synchronized (rounds) {
      return rounds.size();
    }
  }

  @Test
  void aCallerArrivingDuringARound_startsAnother_andLatecomersShareTheNext() {
    CompletableFuture<Void> first = barrier.await();
    CompletableFuture<Void> second = barrier.await();
    assertEquals(2, roundCount(), "a second round starts for a caller during the first");
    CompletableFuture<Void> third = barrier.await();
    CompletableFuture<Void> fourth = barrier.await();
    assertEquals(ReadBarrier.MAX_IN_FLIGHT, roundCount(), "no more than two at once");
    round(0).complete(null);
    assertTrue(first.isDone());
    assertFalse(second.isDone(), "the first round may have fixed its index before it came");
    assertFalse(third.isDone() || fourth.isDone());
    assertEquals(3, roundCount(), "the two latecomers share one round, started as one ends");
    round(1).complete(null);
    assertTrue(second.isDone());
    assertFalse(third.isDone(), "started before they came");
    round(2).complete(null);
    assertTrue(third.isDone() && fourth.isDone());
    assertEquals(3, roundCount(), "nobody waits: no round starts");
    barrier.await();
    assertEquals(4, roundCount(), "the next caller starts its own round");
    assertEquals(4, barrier.rounds());
    assertEquals(5, barrier.callers(), "five callers, of whom two shared a round");
  }

  @Test
  void aFailedRound_isStartedAgainForTheSameCallers() throws Exception {
    CompletableFuture<Void> caller = barrier.await();
    round(0).completeExceptionally(new IllegalStateException("leader gone"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (roundCount() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(2, roundCount(), "retried after a pause");
    assertFalse(caller.isDone());
    round(1).complete(null);
    caller.get(5, TimeUnit.SECONDS);
    assertEquals(2, barrier.rounds(), "a retry is a round");
    assertEquals(1, barrier.callers());
  }

  /**
   * On the leader a round completes on the thread that starts it; with a reader arriving during
   * every round, starting the next round inside the previous one's completion would nest 20,000
   * rounds on one stack (a StackOverflowError inside a future: every caller would hang).
   */
  @Test
  void roundsThatCompleteAtOnce_underSteadyArrivals_doNotNestOnOneStack() throws Exception {
    int rounds = 20_000;
    AtomicInteger started = new AtomicInteger();
    List<CompletableFuture<Void>> callers = Collections.synchronizedList(new ArrayList<>());
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      ReadBarrier[] leader = new ReadBarrier[1];
      leader[0] = new ReadBarrier(() -> {
        if (started.incrementAndGet() < rounds) {
          callers.add(leader[0].await()); // a reader arrives while this round runs
        }
        return CompletableFuture.completedFuture(null);
      }, executor);
      callers.add(leader[0].await());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (started.get() < rounds && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(rounds, started.get(), "every round ran");
      for (CompletableFuture<Void> caller : List.copyOf(callers)) {
        caller.get(10, TimeUnit.SECONDS);
      }
      assertEquals(rounds, callers.size());
    } finally {
      executor.shutdownNow();
    }
  }
}
