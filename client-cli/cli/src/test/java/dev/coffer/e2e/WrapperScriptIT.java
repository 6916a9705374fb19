package dev.coffer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code client-cli/bin/coffer} runs the built CLI from any directory, also through a symlink
 * (issue 16: the alias that broke after {@code cd}).
 */
class WrapperScriptIT {

  @TempDir Path elsewhere;

  /** client-cli/bin/coffer, found from the CLI jar the build made (client-cli/cli/target). */
  static Path script() {
    return CliProcess.jar().toAbsolutePath().getParent().getParent().getParent()
        .resolve("bin").resolve("coffer");
  }

  private String run(Path command) throws Exception {
    return run(command, "");
  }

  private String run(Path command, String javaOpts) throws Exception {
    Path output = Files.createTempFile(elsewhere, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command.toString(), "--help")
        .directory(elsewhere.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("COFFER_JAVA_OPTS", javaOpts);
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish in 60 s");
    String out = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void runsTheCli_fromAnotherDirectory_andThroughASymlink() throws Exception {
    assertTrue(Files.isExecutable(script()), script() + " must be executable");
    assertTrue(run(script()).contains("Usage: coffer"));
    Path link = Files.createSymbolicLink(elsewhere.resolve("coffer"), script());
    assertTrue(run(link).contains("Usage: coffer"));
  }

  @Test
  void mapsTheClassDataArchiveTheBuildMade() throws Exception {
    Path archive = CliProcess.jar().resolveSibling("coffer.jsa");
    assertTrue(Files.isRegularFile(archive), archive + ": the build makes it after the jar");
    String loads = run(script(), "-Xlog:class+load=info");
    assertTrue(loads.contains("dev.coffer.cli.CofferCli source: shared objects file"),
        "the CLI's classes come from the archive");
    assertTrue(loads.contains("Usage: coffer"));
  }

  @Test
  void anArchiveThatDoesNotMatchTheJar_isSkipped_withoutAWord() throws Exception {
    // A copy of the layout: bin/coffer next to cli/target/{coffer.jar,coffer.jsa}.
    Path bin = Files.createDirectories(elsewhere.resolve("copy/bin"));
    Path target = Files.createDirectories(elsewhere.resolve("copy/cli/target"));
    Path script = Files.copy(script(), bin.resolve("coffer"));
    Path jar = Files.copy(CliProcess.jar(), target.resolve("coffer.jar"));
    Path jsa = Files.copy(CliProcess.jar().resolveSibling("coffer.jsa"), target.resolve("coffer.jsa"));
    java.nio.file.attribute.FileTime now = Files.getLastModifiedTime(jar);

    // Newer than the jar, but made for the jar at another path: the JVM refuses it; quietly.
    Files.setLastModifiedTime(jsa, java.nio.file.attribute.FileTime.fromMillis(now.toMillis() + 60_000));
    String out = run(script);
    assertTrue(out.startsWith("Usage: coffer"), out);

    // Older than the jar (a jar rebuilt without its archive): the wrapper does not even offer
    // it. Re-enabling the JVM's archive warnings after the wrapper's own flags shows whether
    // it was offered: the JVM would refuse it out loud.
    Files.setLastModifiedTime(jsa, java.nio.file.attribute.FileTime.fromMillis(now.toMillis() - 60_000));
    String stale = run(script, "-Xlog:cds+dynamic=warning");
    assertTrue(stale.startsWith("Usage: coffer"), "a stale archive is not offered: " + stale);
  }
}
