package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  });

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
  void callersArrivingDuringARound_shareTheNextRound_notTheOneInFlight() {
    CompletableFuture<Void> first = barrier.await();
    CompletableFuture<Void> second = barrier.await();
    CompletableFuture<Void> third = barrier.await();
    assertEquals(1, roundCount(), "one round at a time");
    round(0).complete(null);
    assertTrue(first.isDone());
    assertFalse(second.isDone(), "the first round may have fixed its index before they came");
    assertEquals(2, roundCount(), "the two latecomers share one round");
    round(1).complete(null);
    assertTrue(second.isDone() && third.isDone());
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
  }
}
