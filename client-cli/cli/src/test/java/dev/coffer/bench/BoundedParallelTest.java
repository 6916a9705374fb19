package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedParallelTest {

  @Test
  void everyIndexRunsOnce_andProgressReachesTheCount() throws Exception {
    var seen = ConcurrentHashMap.<Integer>newKeySet();
    AtomicLong last = new AtomicLong();
    BoundedParallel.Outcome o = BoundedParallel.run(1000, 4, true, seen::add,
        done -> last.accumulateAndGet(done, Math::max));
    assertEquals(1000, seen.size());
    assertEquals(1000, o.succeeded());
    assertEquals(0, o.failed());
    assertNull(o.firstFailure());
    assertEquals(1000, last.get());
  }

  @Test
  void stoppingOnFailure_startsNoNewTask_andKeepsTheFirstFailure() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    BoundedParallel.Outcome o = BoundedParallel.run(10_000, 1, true, i -> {
      if (i == 5) {
        throw boom;
      }
    }, done -> { });
    assertEquals(5, o.succeeded());
    assertEquals(1, o.failed());
    assertSame(boom, o.firstFailure());
  }

  @Test
  void goingOnAfterFailures_triesEveryTask_andCountsThem() throws Exception {
    BoundedParallel.Outcome o = BoundedParallel.run(100, 3, false, i -> {
      if (i % 10 == 0) {
        throw new IllegalArgumentException("no " + i);
      }
    }, done -> { });
    assertEquals(90, o.succeeded());
    assertEquals(10, o.failed());
    assertTrue(o.firstFailure().getMessage().startsWith("no "));
  }

  @Test
  void nothingToDo_isFine() throws Exception {
    assertEquals(0, BoundedParallel.run(0, 4, true, i -> { }, done -> { }).succeeded());
  }
}
