package dev.coffer.e2e;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built CLI jar (or, for offline commands, the server jar) as a subprocess with
 * COFFER_ADDR/COFFER_TOKEN in its environment.
 */
final class CliProcess {

  /** The outcome of one CLI run. */
  record Result(int exit, String stdout, String stderr) {}

  private final String address;
  private final Path workDir;
  private int runs;

  CliProcess(String address, Path workDir) {
    this.address = address;
    this.workDir = workDir;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("coffer.cli.jar", "target/coffer.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("CLI jar missing: " + jar + " (run mvn verify)");
    }
    return jar;
  }

  /** Asserts a zero exit, showing both streams otherwise. */
  static Result ok(Result r) {
    org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(),
        "stdout: " + r.stdout() + "\nstderr: " + r.stderr());
    return r;
  }

  /** Asserts a zero exit and parses the --output json of a run as {@code prototype}'s type. */
  @SuppressWarnings("unchecked")
  static <T extends Message> T json(Result r, T prototype) throws IOException {
    ok(r);
    Message.Builder builder = prototype.newBuilderForType();
    JsonFormat.parser().merge(r.stdout(), builder);
    return (T) builder.build();
  }

  Result run(String token, String stdin, String... args) throws IOException, InterruptedException {
    return runJar(jar(), token, stdin, args);
  }

  /** Runs an offline command of the server jar ({@code coffer-server restore ...}). */
  Result runServerJar(String... args) throws IOException, InterruptedException {
    return runJar(ServerProcess.jar(), null, null, args);
  }

  private Result runJar(Path jar, String token, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    int n = ++runs;
    Path out = workDir.resolve("cli-" + n + ".out");
    Path err = workDir.resolve("cli-" + n + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.put("COFFER_ADDR", address);
    env.remove("COFFER_TOKEN");
    if (token != null) {
      env.put("COFFER_TOKEN", token);
    }
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("CLI did not finish in 60 s: " + args[0]);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
