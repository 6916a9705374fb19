package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {

  private static BenchPlan plan(List<Mix> phases, int concurrency, int channels, int secrets) {
    return new BenchPlan(phases, concurrency, channels, Duration.ofSeconds(1),
        Duration.ofSeconds(2), 1000, 4, secrets, false);
  }

  @Test
  void noOpNorMix_measuresAllFive_healthFirst() {
    List<Mix> phases = BenchPlan.phases(List.of(), List.of(), true);
    assertEquals(List.of("health", "verify", "reveal", "create", "list"),
        phases.stream().map(Mix::label).toList());
  }

  @Test
  void theHealthBaseline_goesFirstOnce_andCanBeLeftOut() {
    assertEquals(List.of("health", "verify", "reveal=9,create=1"),
        BenchPlan.phases(List.of(Operation.VERIFY), List.of(Mix.parse("reveal=9,create=1")),
            true).stream().map(Mix::label).toList());
    assertEquals(List.of("verify", "health"), BenchPlan.phases(
        List.of(Operation.VERIFY, Operation.HEALTH), List.of(), true).stream()
        .map(Mix::label).toList());
    assertEquals(List.of("verify"), BenchPlan.phases(List.of(Operation.VERIFY), List.of(),
        false).stream().map(Mix::label).toList());
  }

  @Test
  void anOperationGivenTwice_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchPlan.phases(List.of(Operation.LIST, Operation.LIST), List.of(), true));
    assertEquals("--op list is given twice", e.getMessage());
  }

  @Test
  void outOfRangeOptions_areRefusedByName() {
    List<Mix> verify = List.of(Mix.of(Operation.VERIFY));
    assertMessage("--concurrency must be between 1 and 10000, not 0", () -> plan(verify, 0, 1, 0));
    assertMessage("--channels must be between 1 and --concurrency (4), not 8",
        () -> plan(verify, 4, 8, 0));
    assertMessage("--secrets must be at least 100 to measure list (one full page of 100), not 99",
        () -> plan(List.of(Mix.parse("list=1,verify=1")), 4, 1, 99));
    assertMessage("--secrets must be at least 1 to measure reveal",
        () -> plan(List.of(Mix.of(Operation.REVEAL)), 4, 1, 0));
    assertMessage("--duration must be more than 0 and at most 24h", () -> new BenchPlan(verify,
        1, 1, Duration.ZERO, Duration.ZERO, 1, 1, 0, false));
    assertMessage("--max-ops must be between 1 and 1000000000000, not 0", () -> new BenchPlan(
        verify, 1, 1, Duration.ZERO, Duration.ofSeconds(1), 0, 1, 0, false));
    assertMessage("--apps must be between 1 and 10000, not 0", () -> new BenchPlan(verify, 1, 1,
        Duration.ZERO, Duration.ofSeconds(1), 1, 0, 0, false));
  }

  @Test
  void rounds_splitTheWindow_andWarmFullyOnlyInTheFirst() {
    List<Mix> verify = List.of(Mix.of(Operation.VERIFY));
    BenchPlan p = new BenchPlan(verify, 1, 1, Duration.ofSeconds(10), Duration.ofSeconds(20), 1,
        1, 0, false, 4);
    assertEquals(Duration.ofSeconds(5), p.roundWindow());
    assertEquals(Duration.ofSeconds(10), p.warmupOfRound(0));
    assertEquals(Duration.ofMillis(2500), p.warmupOfRound(3));
    assertEquals(1, plan(verify, 4, 1, 0).rounds());
    assertMessage("--rounds must be between 1 and 100, not 0", () -> new BenchPlan(verify, 1, 1,
        Duration.ZERO, Duration.ofSeconds(1), 1, 1, 0, false, 0));
    assertMessage("--duration / --rounds must be at least 100ms, not 50ms", () -> new BenchPlan(
        verify, 1, 1, Duration.ZERO, Duration.ofSeconds(1), 1, 1, 0, false, 20));
  }

  @Test
  void revealTargets_areTheFirst256Secrets_andOnlyWhenRevealIsMeasured() {
    assertEquals(10, plan(List.of(Mix.of(Operation.REVEAL)), 4, 1, 10).revealTargets());
    assertEquals(256, plan(List.of(Mix.parse("reveal=1,list=1")), 4, 1, 5000).revealTargets());
    assertEquals(0, plan(List.of(Mix.of(Operation.LIST)), 4, 1, 5000).revealTargets());
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().equals(expected), e.getMessage());
  }
}
