package dev.coffer.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built server jar as a real process on 127.0.0.1 and a free port, its stdout and
 * stderr captured to files in the test's directory.
 */
final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern METRICS =
      Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

  final Path stdout;
  final Path stderr;
  final int port;
  /** The Prometheus endpoint's port, or -1 when metrics are off. */
  final int metricsPort;
  private final Process process;

  private ServerProcess(Process process, Path stdout, Path stderr, int port, int metricsPort) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.port = port;
    this.metricsPort = metricsPort;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("coffer.server.jar",
        "../../server/target/coffer-server.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("server jar missing: " + jar + " (run mvn verify)");
    }
    return jar;
  }

  /**
   * Starts the server and waits (at most 60 s) until it prints its port. Metrics listen on
   * a free port of 127.0.0.1 unless {@code extra} says otherwise, so servers never clash.
   */
  static ServerProcess start(Path dataDir, Path logDir, String name, String... extra)
      throws IOException, InterruptedException {
    return launch(List.of("--dev"), dataDir, logDir, name, extra);
  }

  /** As {@link #start}, in production mode (no {@code --dev}) with the root key at a URI. */
  static ServerProcess startWithRootKey(String rootKeyUri, Path dataDir, Path logDir,
      String name, String... extra) throws IOException, InterruptedException {
    return launch(List.of("--root-key", rootKeyUri), dataDir, logDir, name, extra);
  }

  private static ServerProcess launch(List<String> mode, Path dataDir, Path logDir, String name,
      String... extra) throws IOException, InterruptedException {
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar().toString()));
    cmd.addAll(mode);
    cmd.addAll(List.of("--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0"));
    if (!List.of(extra).contains("--metrics-listen")) {
      cmd.addAll(List.of("--metrics-listen", "127.0.0.1:0"));
    }
    cmd.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    // RocksDB copies its native library into java.io.tmpdir under a fresh name and deletes
    // it at a clean exit only; a killed server would leave 17 MB in /tmp for good.
    builder.environment().put("ROCKSDB_SHAREDLIB_DIR",
        Files.createDirectories(logDir.resolve(name + "-native")).toString());
    Process p = builder.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      Matcher m = LISTENING.matcher(printed);
      if (m.find()) {
        Matcher metrics = METRICS.matcher(printed); // printed before "listening on"
        return new ServerProcess(p, out, err, Integer.parseInt(m.group(1)),
            metrics.find() ? Integer.parseInt(metrics.group(1)) : -1);
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("server exited with " + p.exitValue() + ": "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException("server did not start within 60 s");
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** SIGTERM, then waits (at most 30 s) for a clean exit; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("server ignored SIGTERM for 30 s");
    }
    return process.exitValue();
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  String log() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8)
        + Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
