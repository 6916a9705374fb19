package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.config.HostPort;
import dev.coffer.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --metrics-listen}: bad values and a busy port are configuration errors (exit 2). */
class CofferServerMainMetricsTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    CofferServerMain main = new CofferServerMain(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(main).execute(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void malformedMetricsAddress_isRefused_beforeAnythingIsCreated() {
    for (String bad : new String[] {"9464", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000"}) {
      err.reset();
      assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
          "--metrics-listen", bad), bad);
      assertTrue(stderr().contains("--metrics-listen must be HOST:PORT"), stderr());
    }
    assertFalse(Files.exists(dir.resolve("d").resolve("db")));
  }

  @Test
  void metricsPortInUse_isAClearStartupError_beforeTheBootstrapTokenIsIssued()
      throws Exception {
    Path token = dir.resolve("admin.token");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(), "--listen",
          "127.0.0.1:0", "--bootstrap-token-file", token.toString(), "--metrics-listen",
          "127.0.0.1:" + busy.getLocalPort()));
    }
    assertTrue(stderr().contains("cannot serve metrics on 127.0.0.1:"), stderr());
    assertTrue(stderr().contains("--metrics-listen off"), stderr());
    assertFalse(Files.exists(token), "no token was issued for a server that did not start");
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("listening on"));
  }

  @Test
  @SuppressWarnings("try") // the sockets are held, not used, while the server starts
  void devMode_withTheDefaultMetricsAddressBusy_servesMetricsOnAFreePort() throws Exception {
    HostPort standard = HostPort.parse(ServerConfig.DEFAULT_METRICS_LISTEN).orElseThrow();
    try (ServerSocket metricsBusy = busyOrAlreadyTaken(standard.port());
        ServerSocket grpcBusy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // The busy gRPC port ends the run once metrics and bootstrap are past.
      assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(), "--listen",
          "127.0.0.1:" + grpcBusy.getLocalPort()));
    }
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("metrics: "
        + ServerConfig.DEFAULT_METRICS_LISTEN + " is in use; serving /metrics on a free port"),
        out.toString(StandardCharsets.UTF_8));
    assertFalse(stderr().contains("cannot serve metrics"), stderr());
    assertTrue(stderr().contains("cannot listen on 127.0.0.1:"), stderr());
  }

  @Test
  void devMode_withAnExplicitBusyMetricsAddress_isStillAnError() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(), "--listen",
          "127.0.0.1:0", "--metrics-listen", "127.0.0.1:" + busy.getLocalPort()));
    }
    assertTrue(stderr().contains("cannot serve metrics on 127.0.0.1:"), stderr());
  }

  /** A socket holding {@code port} on loopback, or null when something else holds it. */
  private static ServerSocket busyOrAlreadyTaken(int port) {
    try {
      return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
    } catch (java.io.IOException e) {
      return null; // already in use: the server meets a busy port either way
    }
  }

  @Test
  void help_saysMetricsCarryNoSecrets() {
    String help = new CommandLine(new CofferServerMain(System.out, System.err))
        .getUsageMessage();
    assertTrue(help.contains("--metrics-listen"), help);
    assertTrue(help.replaceAll("\\s+", " ").contains("metrics carry no secrets"), help);
    assertTrue(help.contains("127.0.0.1:9464"), help);
  }
}
