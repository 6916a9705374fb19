package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.bench.BaselineServer;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import dev.coffer.server.Vault;
import dev.coffer.server.testing.CofferExtension;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code coffer bench} end to end against a real Coffer server (real vault, interceptors and
 * Netty transport on 127.0.0.1), with tiny bounded windows. No timing is asserted: only that
 * every operation succeeded, the report is complete, and the data is gone afterwards.
 */
@Timeout(180)
class BenchCommandTest {

  /** One vault and server on 127.0.0.1 for the class; its clock starts now and stands still. */
  @RegisterExtension
  static final CofferExtension fixture = CofferExtension.loopbackServer()
      .clockStart(Instant.now()).verifyFailuresPerMinute(10).build();
  private static Vault vault;
  private static String address;
  private static String adminToken;

  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  static void startServer() {
    vault = fixture.vault().vault;
    adminToken = fixture.adminToken();
    address = fixture.address();
  }

  private int bench(String token, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CliContext ctx = CliContext.builder().out(new PrintWriter(out, true))
        .err(new PrintWriter(err, true)).in(new BufferedReader(new StringReader("")))
        .env(Map.of(GlobalOptions.ENV_TOKEN, token, GlobalOptions.ENV_ADDR, address)).build();
    List<String> all = new ArrayList<>(List.of("bench"));
    all.addAll(List.of(args));
    return CofferCli.run(ctx, all.toArray(String[]::new));
  }

  private static CofferClient client(String token) {
    return ClientConfig.builder().address(address).tokenSupplier(() -> token).connect();
  }

  @Test
  void everyOperationAndAMix_succeedAgainstARealServer_andTheDataIsGoneAfterwards() {
    int exit = bench(adminToken, "-c", "4", "--channels", "2", "--warmup", "200ms",
        "--duration", "500ms", "--max-ops", "200", "--apps", "2", "--secrets", "120",
        "--op", "verify", "--op", "reveal", "--op", "create", "--op", "list",
        "--mix", "reveal=3,create=1", "-o", "json");
    assertEquals(0, exit, err.toString());
    JsonObject report = JsonParser.parseString(out.toString()).getAsJsonObject();
    List<String> rows = new ArrayList<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      String row = r.get("phase").getAsString() + "/" + r.get("operation").getAsString();
      rows.add(row);
      assertTrue(r.get("ops").getAsLong() > 0, row + " made no successful call");
      assertTrue(r.get("ops").getAsLong() <= 200, row + " went past --max-ops");
      assertEquals(0, r.getAsJsonObject("errors").size(), row + ": " + r.get("errors"));
      assertTrue(r.get("p50Micros").getAsLong() > 0, row);
      assertTrue(r.get("ratioToHealth").getAsDouble() > 0, row);
    }
    assertEquals(List.of("health/health", "verify/verify", "reveal/reveal", "create/create",
        "list/list", "reveal=3,create=1/reveal", "reveal=3,create=1/create",
        "reveal=3,create=1/total"), rows);
    assertEquals(4, report.getAsJsonObject("parameters").get("concurrency").getAsInt());
    assertTrue(report.get("clientCores").getAsInt() >= 1);

    JsonObject cleanup = report.getAsJsonObject("cleanup");
    assertEquals(0, cleanup.get("failures").getAsLong(), cleanup.toString());
    assertEquals(2, cleanup.get("tokensRevoked").getAsLong());
    assertEquals(120, cleanup.get("grantsRevoked").getAsLong());
    assertTrue(cleanup.get("secretsDeleted").getAsLong() > 2 + 120, cleanup.toString());
    assertNoValueOrToken();

    String tenant = report.get("tenant").getAsString();
    assertTrue(tenant.matches("bench-[0-9a-f]{8}"), tenant);
    assertEquals(0, secretsLeftIn(tenant), "the bench's secrets are deleted");
  }

  @Test
  void rounds_measureThePhasesInTurn_andMergeEachPhasesWindows() {
    int exit = bench(adminToken, "-c", "2", "--channels", "1", "--warmup", "100ms",
        "--duration", "600ms", "--rounds", "3", "--max-ops", "40", "--apps", "1",
        "--op", "verify", "-o", "json");
    assertEquals(0, exit, err.toString());
    JsonObject report = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertEquals(3, report.getAsJsonObject("parameters").get("rounds").getAsInt());
    List<String> rows = new ArrayList<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      rows.add(r.get("phase").getAsString());
      long ops = r.get("ops").getAsLong();
      // three windows of at most 40 calls each: more than one window's worth shows the merge
      assertTrue(ops > 40 && ops <= 120, r.get("phase") + ": " + ops);
      assertEquals(0, r.getAsJsonObject("errors").size(), r.toString());
    }
    assertEquals(List.of("health", "verify"), rows);
  }

  @Test
  void healthAlone_needsNoTokenAndNoData_soTheBareBaselineServerCanBeMeasured()
      throws Exception {
    try (BaselineServer baseline = BaselineServer.start("127.0.0.1", 0)) {
      int exit = bench("", "--addr", "127.0.0.1:" + baseline.port(), "--op", "health",
          "-c", "4", "--channels", "2", "--warmup", "0", "--duration", "300ms",
          "--max-ops", "500", "-o", "json");
      assertEquals(0, exit, err.toString());
      JsonObject report = JsonParser.parseString(out.toString()).getAsJsonObject();
      JsonObject row = report.getAsJsonArray("results").get(0).getAsJsonObject();
      assertEquals("health", row.get("operation").getAsString());
      assertTrue(row.get("ops").getAsLong() > 0, row.toString());
      assertEquals(0, row.getAsJsonObject("errors").size(), row.toString());
      assertTrue(report.get("tenant").isJsonNull(), "nothing prepared");
      assertEquals(0, report.getAsJsonObject("cleanup").get("tokensRevoked").getAsLong());
    }
  }

  @Test
  void benchBaseline_servesUntilItsLifetimeEnds() {
    out = new StringWriter();
    err = new StringWriter();
    CliContext ctx = CliContext.builder().out(new PrintWriter(out, true))
        .err(new PrintWriter(err, true)).in(new BufferedReader(new StringReader("")))
        .env(Map.of()).build();
    long start = System.nanoTime();
    assertEquals(0, CofferCli.run(ctx, "bench-baseline", "--listen", "127.0.0.1:0",
        "--for", "1s"));
    assertTrue(System.nanoTime() - start >= 900_000_000L, "served for its lifetime");
    assertTrue(err.toString().contains("listening on 127.0.0.1:"), err.toString());
    assertEquals(1, CofferCli.run(ctx, "bench-baseline", "--listen", "localhost"),
        "a port is required");
  }

  @Test
  void textOutput_isATableWithTheHealthBaseline_andNotesGoToStderr() {
    int exit = bench(adminToken, "--op", "verify", "--apps", "1", "--secrets", "0", "-c", "2",
        "--warmup", "0", "--duration", "300ms", "--max-ops", "50");
    assertEquals(0, exit, err.toString());
    String text = out.toString();
    assertTrue(text.contains("coffer bench against " + address), text);
    assertTrue(text.matches("(?s).*PHASE +OP +OPS +OPS/S +P50 US +P99 US +P99\\.9 US +MAX US"
        + " +ERRORS +X HEALTH\n.*"), text);
    assertTrue(text.matches("(?s).*\nhealth +health +\\d+ .* 0 +1\\.00\n.*"), text);
    assertTrue(text.matches("(?s).*\nverify +verify +\\d+ .* 0 +\\d+\\.\\d\\d\n.*"), text);
    assertTrue(text.contains("revoked 2 tokens"), text);
    assertTrue(err.toString().contains("preparing tenant bench-"), err.toString());
    assertFalse(err.toString().contains("\r"), "no progress line without a terminal");
    assertNoValueOrToken();
  }

  @Test
  void aTokenThatIsNotTheSystemAdministrators_isRefusedWithAnExplanation() {
    String aliceToken;
    try (CofferClient admin = client(adminToken)) {
      admin.principals().createPrincipal(CreatePrincipalRequest.newBuilder()
          .setPrincipalId("alice").setAdmin(true).build());
      aliceToken = admin.tokens().issueToken(IssueTokenRequest.newBuilder()
          .setPrincipalId("alice").build()).getValue();
    }
    assertEquals(ExitCodes.PERMISSION_DENIED, bench(aliceToken, "--op", "verify", "--apps", "1",
        "--secrets", "0", "--warmup", "0", "--duration", "100ms"));
    assertTrue(err.toString().contains("needs the system administrator's token"), err.toString());
    assertTrue(err.toString().contains("PERMISSION_DENIED"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void badOptions_areUsageErrorsNamingTheOption_beforeAnythingIsCreated() {
    assertUsage("Invalid value for option '--mix'", "the weight of reveal ('x')",
        "--mix", "reveal=x");
    assertUsage("Invalid value for option '--op'", "unknown operation 'lst'", "--op", "lst");
    assertUsage("--channels must be between 1 and --concurrency (4), not 8", "",
        "-c", "4", "--channels", "8");
    assertUsage("--secrets must be at least 100 to measure list", "",
        "--op", "list", "--secrets", "10");
    assertUsage("Invalid value for option '--warmup'", "use 0 or a whole number",
        "--warmup", "2x");
    assertUsage("--op verify is given twice", "", "--op", "verify", "--op", "VERIFY");
    assertUsage("--spread takes HOST:PORT[,HOST:PORT...]", "", "--spread", "node-1");
    assertUsage("--channels 1 is fewer than the 2 nodes", "", "--spread", address,
        "--channels", "1");
    assertUsage("--channels 1 is fewer than the 2 nodes", "at most -c", "--spread", address,
        "-c", "1");
    // The token goes to every node: plaintext only to loopback, as for --addr.
    assertUsage("refusing to send a token in plaintext", "10.0.0.7", "--spread",
        "10.0.0.7:7443");
  }

  private void assertUsage(String first, String second, String... args) {
    assertEquals(ExitCodes.USAGE, bench(adminToken, args), err.toString());
    assertTrue(err.toString().contains(first), err.toString());
    assertTrue(err.toString().contains(second), err.toString());
    assertEquals("", out.toString());
  }

  private void assertNoValueOrToken() {
    for (String stream : List.of(out.toString(), err.toString())) {
      assertFalse(stream.contains("cfr_cs_"), "a secret value was printed");
      assertFalse(stream.contains("cfr_at_"), "a token was printed");
    }
  }

  /**
   * How many secrets a tenant admin of {@code tenant} sees, read through the vault's service
   * (the system administrator may no longer obtain a token inside a tenant it handed over).
   */
  private static int secretsLeftIn(String tenant) {
    var checker = fixture.vault().tenantAdmin(tenant);
    return vault.secrets().secrets().list(checker, null, "", null, false, "", 1000).items().size();
  }
}
