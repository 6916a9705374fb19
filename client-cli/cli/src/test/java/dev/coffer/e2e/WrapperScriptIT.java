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
    Process p = new ProcessBuilder(command.toString(), "--help").directory(elsewhere.toFile())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish in 60 s");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
}
