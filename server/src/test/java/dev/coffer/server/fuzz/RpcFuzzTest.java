package dev.coffer.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every RPC of every {@code coffer.v1} service through the real interceptors of an
 * in-process server on a real vault ({@link FuzzDriver}, {@link RpcProbe}): never INTERNAL or
 * UNKNOWN, no internals in status texts, every INVALID_ARGUMENT names a field, a refused
 * request writes only its audit events, no token or vaulted value comes out where it must not,
 * and the server keeps serving. Three ways in:
 * <ul>
 *   <li>{@link #everyRpc}: Jazzer. In a plain build (regression mode) it replays the inputs
 *       under {@code src/test/resources/dev/coffer/server/fuzz/RpcFuzzTestInputs/everyRpc},
 *       among them every input that once broke a property; with {@code JAZZER_FUZZ=1}
 *       ({@code mvn -Pfuzz}) it generates {@value #FUZZ_EXECUTIONS} inputs, each one request
 *       to every RPC, and {@link #countsProveEveryRpcWasFuzzed} checks the counts;
 *   <li>{@link #shortRunOfEveryRpc}: {@value #SHORT_RUN} inputs from a seeded PRNG in every
 *       build, since regression mode generates nothing;
 *   <li>{@link #everyRpcOfTheApi_hasAFuzzTarget}: a new RPC without a seed request fails.
 * </ul>
 */
class RpcFuzzTest {

  static final int FUZZ_EXECUTIONS = 10_000;
  static final int SHORT_RUN = 300;
  /** 0x5EED: change it and the short run explores other requests (keep it fixed in CI). */
  static final long SHORT_RUN_SEED = 0x5EEDL;

  static final String JAZZER = "jazzer";
  static final String SHORT = "short-run";

  @TempDir static Path root;
  static FuzzDriver driver;
  static long fuzzed;

  @BeforeAll
  static void start() {
    driver = new FuzzDriver(root);
  }

  @AfterAll
  static void report() throws IOException {
    try {
      writeReport();
      countsProveEveryRpcWasFuzzed();
    } finally {
      driver.close();
    }
  }

  /** Jazzer's target: one input is one request to each RPC. */
  @FuzzTest(maxExecutions = FUZZ_EXECUTIONS + 100, maxDuration = "60m")
  void everyRpc(byte[] data) {
    fuzzed++;
    driver.execute(data, JAZZER);
  }

  @Test
  void shortRunOfEveryRpc() {
    SplittableRandom random = new SplittableRandom(SHORT_RUN_SEED);
    for (int i = 0; i < SHORT_RUN; i++) {
      byte[] data = new byte[random.nextInt(512)];
      random.nextBytes(data);
      driver.execute(data, SHORT);
    }
  }

  @Test
  void everyRpcOfTheApi_hasAFuzzTarget() {
    TreeSet<String> api = new TreeSet<>();
    driver.rpcs().forEach(r -> api.add(r.name()));
    assertTrue(api.size() >= 49, "the catalog found only " + api.size() + " RPCs: " + api);
    assertTrue(api.contains("coffer.v1.SecretService/RevealSecret"), api.toString());
    assertEquals(api, new TreeSet<>(driver.seedFunctions().keySet()),
        "every RPC needs a seed request in SeedRequests, and every seed an RPC");
  }

  /** In fuzzing mode, every RPC must have had at least {@value #FUZZ_EXECUTIONS} requests. */
  static void countsProveEveryRpcWasFuzzed() {
    if (!fuzzingMode()) {
      return;
    }
    for (Map.Entry<String, Map<String, AtomicLong>> e : driver.counts().entrySet()) {
      long n = get(e.getValue(), "requests:" + JAZZER);
      assertTrue(n >= FUZZ_EXECUTIONS, e.getKey() + " got only " + n + " fuzzed requests");
    }
  }

  static boolean fuzzingMode() {
    String v = System.getenv("JAZZER_FUZZ");
    return v != null && List.of("1", "true", "yes").contains(v.toLowerCase(Locale.ROOT));
  }

  /** target/fuzz-report.md: per RPC, requests, how they were made, and status codes. */
  private static void writeReport() throws IOException {
    StringBuilder b = new StringBuilder("| RPC | requests (Jazzer + short run) | random / "
        + "mutated / garbage | status codes |\n|---|---|---|---|\n");
    for (Map.Entry<String, Map<String, AtomicLong>> e : driver.counts().entrySet()) {
      Map<String, AtomicLong> c = e.getValue();
      StringBuilder codes = new StringBuilder();
      c.forEach((k, v) -> {
        if (!k.startsWith("requests") && !k.startsWith("RANDOM") && !k.startsWith("MUTATED")
            && !k.startsWith("GARBAGE")) {
          codes.append(codes.length() == 0 ? "" : ", ").append(k).append(' ').append(v.get());
        }
      });
      b.append("| ").append(e.getKey().substring("coffer.v1.".length())).append(" | ")
          .append(get(c, "requests:" + JAZZER)).append(" + ").append(get(c, "requests:" + SHORT))
          .append(" | ").append(get(c, "RANDOM_FIELDS"))
          .append(" / ").append(get(c, "MUTATED_SEED")).append(" / ")
          .append(get(c, "GARBAGE")).append(" | ").append(codes).append(" |\n");
    }
    b.append("\nJazzer inputs: ").append(fuzzed).append(fuzzingMode() ? " (fuzzing mode)"
        : " (regression mode)").append('\n');
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve(fuzzingMode() ? "fuzz-report-fuzzing.md"
          : "fuzz-report.md"), b.toString(), StandardCharsets.UTF_8);
    }
  }

  private static long get(Map<String, AtomicLong> c, String key) {
    return c.getOrDefault(key, new AtomicLong()).get();
  }
}
