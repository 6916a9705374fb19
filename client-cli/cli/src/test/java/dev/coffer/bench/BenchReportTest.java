package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static final long SECOND = 1_000_000_000L;

  private static BenchPlan plan(List<Mix> phases) {
    return new BenchPlan(phases, 64, 4, Duration.ofMillis(500), Duration.ofSeconds(20),
        1_000_000, 8, 1000, false);
  }

  private static OpResult row(Operation op, long ops, Map<String, Long> errors) {
    return new OpResult(op, ops, ops / 20.0, 300, 900, 1500, 2000, new TreeMap<>(errors));
  }

  private static BenchReport report(List<PhaseResult> phases, Cleanup cleanup) {
    List<Mix> mixes = phases.stream().map(PhaseResult::mix).toList();
    return new BenchReport(new BenchReport.Run("127.0.0.1:7443", "bench-00c0ffee", plan(mixes), 2,
        Duration.ofSeconds(10)), phases, cleanup);
  }

  private final PhaseResult health = new PhaseResult(Mix.of(Operation.HEALTH), 20 * SECOND,
      List.of(row(Operation.HEALTH, 400_000, Map.of())));
  private final PhaseResult verify = new PhaseResult(Mix.of(Operation.VERIFY), 20 * SECOND,
      List.of(row(Operation.VERIFY, 300_000, Map.of("UNAVAILABLE", 2L))));
  private final PhaseResult mix = new PhaseResult(Mix.parse("reveal=90,create=10"),
      20 * SECOND, List.of(row(Operation.REVEAL, 90_000, Map.of()),
          row(Operation.CREATE, 10_000, Map.of("INTERNAL", 1L)),
          row(null, 100_000, Map.of("INTERNAL", 1L))));
  private final Cleanup cleanup = new Cleanup("bench-00c0ffee", false, 1264, 256, 2, 0, "");

  @Test
  void rows_carryTheFiguresAndTheRatioToHealth() {
    BenchReport r = report(List.of(health, verify, mix), cleanup);
    List<String[]> rows = r.rows();
    assertEquals(5, rows.size());
    assertArrayEquals(new String[] {"verify", "verify", "300000", "15000.0", "300", "900", "1500",
        "2000", "UNAVAILABLE=2", "0.75"}, rows.get(1));
    assertArrayEquals(new String[] {"reveal=90,create=10", "total", "100000", "5000.0", "300",
        "900", "1500", "2000", "INTERNAL=1", "0.25"}, rows.get(4));
    assertEquals("1.00", rows.get(0)[9]);
    assertEquals(10, BenchReport.header().length);
  }

  @Test
  void errors_areCountedOncePerPhase_notAgainInTheMixTotal() {
    assertEquals(3, report(List.of(health, verify, mix), cleanup).errorCount());
    assertEquals(0, report(List.of(health), cleanup).errorCount());
  }

  @Test
  void withoutAHealthPhase_thereIsNoRatio() {
    BenchReport r = report(List.of(verify), cleanup);
    assertNull(r.healthOpsPerSec());
    assertEquals("-", r.rows().get(0)[9]);
    JsonObject json = JsonParser.parseString(r.json()).getAsJsonObject();
    assertTrue(json.getAsJsonArray("results").get(0).getAsJsonObject().get("ratioToHealth")
        .isJsonNull());
  }

  @Test
  void json_holdsTheParameters_eachResult_andTheCleanup() {
    JsonObject json = JsonParser.parseString(report(List.of(health, verify, mix), cleanup).json())
        .getAsJsonObject();
    assertEquals("coffer bench", json.get("tool").getAsString());
    assertEquals("bench-00c0ffee", json.get("tenant").getAsString());
    assertEquals(2, json.get("clientCores").getAsInt());
    JsonObject p = json.getAsJsonObject("parameters");
    assertEquals(64, p.get("concurrency").getAsInt());
    assertEquals(4, p.get("channels").getAsInt());
    assertEquals(500, p.get("warmupMillis").getAsLong());
    assertEquals(20_000, p.get("durationMillis").getAsLong());
    assertEquals(1_000_000, p.get("maxOps").getAsLong());
    assertEquals(100, p.get("listPageSize").getAsInt());
    assertEquals("[\"health\",\"verify\",\"reveal=90,create=10\"]", p.get("phases").toString());
    var results = json.getAsJsonArray("results");
    assertEquals(5, results.size());
    JsonObject v = results.get(1).getAsJsonObject();
    assertEquals("verify", v.get("operation").getAsString());
    assertEquals(300_000, v.get("ops").getAsLong());
    assertEquals(15000.0, v.get("opsPerSec").getAsDouble());
    assertEquals(300, v.get("p50Micros").getAsLong());
    assertEquals(900, v.get("p99Micros").getAsLong());
    assertEquals(1500, v.get("p999Micros").getAsLong());
    assertEquals(2, v.getAsJsonObject("errors").get("UNAVAILABLE").getAsLong());
    assertEquals(0.75, v.get("ratioToHealth").getAsDouble());
    assertEquals("total", results.get(4).getAsJsonObject().get("operation").getAsString());
    JsonObject c = json.getAsJsonObject("cleanup");
    assertEquals(1264, c.get("secretsDeleted").getAsLong());
    assertEquals(2, c.get("tokensRevoked").getAsLong());
  }

  @Test
  void thePreambleAndCleanupLine_sayWhatRanAndWhatRemains() {
    BenchReport r = report(List.of(health), cleanup);
    String preamble = String.join("\n", r.preamble());
    assertTrue(preamble.contains("tenant bench-00c0ffee, client cores 2"), preamble);
    assertTrue(preamble.contains("64 concurrent calls over 4 channels"), preamble);
    assertTrue(preamble.contains("warm-up 500ms, then 20s or 1000000 calls"), preamble);
    String line = r.cleanupSummary();
    assertTrue(line.contains("deleted 1264 secrets, revoked 256 grants; revoked 2 tokens"), line);
    assertTrue(line.contains("Coffer has no call to delete them"), line);
    assertFalse(line.contains("failed"), line);
  }
}
