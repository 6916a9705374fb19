package dev.coffer.server.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CallDeadlineTest {

  @Test
  void aDeadlineHoldsOnlyWhileItsWorkRuns_andOnlyOnItsThread() throws Exception {
    assertTrue(CallDeadline.current().isEmpty());
    OptionalLong elsewhere = CallDeadline.within(1_000, () -> {
      assertEquals(OptionalLong.of(1_000), CallDeadline.current());
      return CompletableFuture.supplyAsync(CallDeadline::current).join();
    });
    assertTrue(elsewhere.isEmpty(), "another thread does not see it");
    assertTrue(CallDeadline.current().isEmpty(), "cleared when the work returns");
  }

  @Test
  void anInnerDeadline_givesBackTheOuterOne_evenWhenItsWorkThrows() {
    CallDeadline.within(1_000, () -> {
      assertThrows(IllegalStateException.class, () -> CallDeadline.within(500, () -> {
        assertEquals(OptionalLong.of(500), CallDeadline.current());
        throw new IllegalStateException("work failed");
      }));
      assertEquals(OptionalLong.of(1_000), CallDeadline.current());
      return null;
    });
    assertTrue(CallDeadline.current().isEmpty());
  }
}
