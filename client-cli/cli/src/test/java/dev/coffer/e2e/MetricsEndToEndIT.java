package dev.coffer.e2e;

import static dev.coffer.e2e.CliProcess.json;
import static dev.coffer.e2e.CliProcess.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateSecretResponse;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server jar with its Prometheus endpoint on 127.0.0.1 (a free port it reports),
 * a few CLI calls, then a scrape over HTTP: the expected series are there, no label holds
 * an id or a value, and {@code promtool check metrics} (Debian's prometheus package)
 * accepts the exposition. Fails, rather than skips, when promtool is missing.
 */
class MetricsEndToEndIT {

  static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*=\"((?:[^\"\\\\]|\\\\.)*)\"");
  static final Pattern FORBIDDEN = Pattern.compile("(sec|grt|tok|req|cfr)_");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @Timeout(240)
  void scrapeOfARealServer_hasTheSeries_andPassesPromtool() throws Exception {
    Path promtool = promtool();
    Path tokenFile = dir.resolve("admin.token");
    List<String> secretsSeen = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir, "metrics",
        "--bootstrap-token-file", tokenFile.toString(), "--metrics-statistics-seconds", "1")) {
      assertTrue(server.metricsPort > 0, "the server reports its metrics port: " + server.log());
      assertTrue(server.log().contains("metrics on http://127.0.0.1:" + server.metricsPort
          + "/metrics"));
      String admin = Files.readString(tokenFile).trim();
      secretsSeen.add(admin);
      CliProcess cli = new CliProcess(server.address(), dir);

      CreateApplicationResponse app = json(cli.run(admin, null, "app", "create", "--name",
          "payments_api", "--env", "production", "-o", "json"),
          CreateApplicationResponse.getDefaultInstance());
      String clientId = app.getApplication().getClientId();
      secretsSeen.add(app.getInitialSecretValue());
      secretsSeen.add(app.getInitialSecret().getSecretId());
      String inFiveDays = Instant.now().plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
          .toString();
      CreateSecretResponse vaulted = json(cli.run(admin, null, "secret", "create", "--app",
          clientId, "--name", "db-password", "--expires", inFiveDays, "--vault",
          "--preapprove-owner", "--yes", "-o", "json"), CreateSecretResponse.getDefaultInstance());
      secretsSeen.add(vaulted.getValue());
      secretsSeen.add(vaulted.getSecret().getSecretId());
      ok(cli.run(admin, null, "secret", "reveal", vaulted.getSecret().getSecretId()));
      String wrong = json(cli.run(admin, null, "app", "create", "--name", "orders_api", "--env",
          "production", "-o", "json"), CreateApplicationResponse.getDefaultInstance())
          .getInitialSecretValue();
      secretsSeen.add(wrong);
      assertEquals(3, cli.run(admin, wrong + "\n", "secret", "verify", "--client-id",
          clientId).exit(), "a mismatch");
      assertEquals(13, cli.run(admin, null, "secret", "get", "sec_doesnotexist").exit());

      String text = scrapeUntil(server.metricsPort,
          "coffer_secrets{state=\"ACTIVE\",tenant=\"default\"} 3.0");

      for (String series : List.of(
          "grpc_server_processing_duration_seconds_bucket{method=\"CreateApplication\","
              + "method_type=\"UNARY\",service=\"coffer.v1.ApplicationService\","
              + "status_code=\"OK\",le=\"+Inf\"} 2",
          "grpc_server_processing_duration_seconds_count{method=\"GetSecret\","
              + "method_type=\"UNARY\",service=\"coffer.v1.SecretService\","
              + "status_code=\"NOT_FOUND\"} 1",
          "coffer_secrets_expiring{tenant=\"default\",within=\"7d\"} 1.0",
          "coffer_secrets_expiring{tenant=\"default\",within=\"1d\"} 0.0",
          "coffer_secrets_next_expiry_seconds ",
          "coffer_grants_active{tenant=\"default\"} 0.0",
          "coffer_access_requests_pending{tenant=\"default\"} 0.0",
          "coffer_verify_failures_total{reason=\"no_match\"} 1.0",
          "coffer_audit_events_written_total{action=\"SECRET_REVEAL\",outcome=\"ALLOWED\"} 1.0",
          "coffer_audit_write_failures_total 0.0",
          "coffer_crypto_operations_total{operation=\"open\",result=\"success\"} 1.0",
          "coffer_data_loss_events_total 0.0",
          "coffer_rocksdb_wal_syncs_total ",
          "coffer_rocksdb_live_data_bytes ",
          "coffer_rocksdb_pending_compaction_bytes ",
          "coffer_rocksdb_estimated_keys{table=\"secrets\"} ",
          "jvm_memory_used_bytes{",
          "jvm_gc_pause_seconds",
          "jvm_threads_live_threads ",
          "jvm_classes_loaded_classes ",
          "process_cpu_usage ",
          "process_uptime_seconds ",
          "process_files_open_files ")) {
        assertTrue(text.contains(series), "missing series: " + series);
      }
      assertNoIdOrValueIn(text, secretsSeen);
      assertEquals(404, get(server.metricsPort, "/").statusCode());

      Path scrape = dir.resolve("scrape.txt");
      Files.writeString(scrape, text, StandardCharsets.UTF_8);
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
          .redirectInput(scrape.toFile()).redirectErrorStream(true).start();
      assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool did not finish in 60 s");
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, check.exitValue(), "promtool check metrics: " + said);

      int exit = server.stop();
      assertTrue(exit == 0 || exit == 128 + 15, "SIGTERM stops it cleanly: " + exit);
      assertThrowsIo(() -> get(server.metricsPort, "/metrics"));
    }
  }

  interface HttpCall {
    void run() throws IOException, InterruptedException;
  }

  static void assertThrowsIo(HttpCall call) throws InterruptedException {
    try {
      call.run();
      fail("the metrics endpoint still answers after the server stopped");
    } catch (IOException expected) {
      // connection refused: the endpoint stopped with the server
    }
  }

  /** promtool from -Dpromtool or the PATH; a missing promtool fails the test. */
  static Path promtool() {
    String configured = System.getProperty("promtool");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("promtool is not installed: apt-get install -y prometheus (Debian), or pass "
        + "-Dpromtool=/path/to/promtool; .ci/run installs it");
  }

  HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes /metrics until {@code expected} appears (the statistics job runs every 1 s). */
  String scrapeUntil(int port, String expected) throws IOException, InterruptedException {
    String text = "";
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = get(port, "/metrics");
      assertEquals(200, r.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8",
          r.headers().firstValue("Content-Type").orElseThrow());
      text = r.body();
      if (text.contains(expected)) {
        return text;
      }
      Thread.sleep(250);
    }
    return fail("no " + expected + " within 30 s in:\n" + text);
  }

  static void assertNoIdOrValueIn(String exposition, List<String> secretsSeen) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LABEL.matcher(line);
      while (m.find()) {
        assertFalse(FORBIDDEN.matcher(m.group(1)).find(), "an id or value in a label: " + line);
      }
    }
    for (String s : secretsSeen) {
      assertFalse(s.isEmpty());
      assertFalse(exposition.contains(s), "an id or value in the exposition");
    }
  }
}
