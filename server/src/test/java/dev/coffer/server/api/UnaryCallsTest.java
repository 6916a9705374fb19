package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CallDeadline;
import io.grpc.Context;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnaryCallsTest {

  @Test
  void aHandlerRunsWithItsCallersGrpcDeadline_andWithoutOneWhenTheCallerSetNone()
      throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      long before = System.currentTimeMillis();
      OptionalLong seen = Context.current().withDeadlineAfter(2, TimeUnit.SECONDS, timer)
          .call(() -> UnaryCalls.withinCallDeadline(CallDeadline::current));
      long after = System.currentTimeMillis();
      assertTrue(seen.isPresent(), "the handler sees the deadline");
      assertTrue(seen.getAsLong() > before + 1_000 && seen.getAsLong() <= after + 2_000,
          "about two seconds from the call: " + (seen.getAsLong() - before) + " ms");
      assertTrue(CallDeadline.current().isEmpty(), "gone once the handler returns");
      assertTrue(UnaryCalls.withinCallDeadline(CallDeadline::current).isEmpty(),
          "a caller without a deadline gives none");
    } finally {
      timer.shutdownNow();
    }
  }
}
