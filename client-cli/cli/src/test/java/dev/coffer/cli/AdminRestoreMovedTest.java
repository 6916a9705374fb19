package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer admin restore} moved to the server jar (issue 16): the CLI prints one line naming
 * {@code coffer-server.jar restore}, exits 1, connects to nothing and writes nothing.
 */
class AdminRestoreMovedTest {

  @TempDir Path dir;

  @Test
  void withTheOldArguments_pointsToTheServerJar_exit1_andRestoresNothing() {
    CliHarness cli = new CliHarness(null);
    Path target = dir.resolve("restored");
    int exit = cli.run("admin", "restore", "--from", dir.resolve("backup").toString(),
        "--data-dir", target.toString(), "--dev-root-key", dir.resolve("k.json").toString());
    assertEquals(ExitCodes.USAGE, exit);
    assertEquals(AdminRestoreCommand.MOVED + System.lineSeparator(), cli.err());
    assertTrue(cli.err().contains("coffer-server.jar restore --from DIR --data-dir NEW"));
    assertEquals("", cli.out());
    assertFalse(Files.exists(target));
  }

  @Test
  void withNoArguments_saysTheSame() {
    CliHarness cli = new CliHarness(null);
    assertEquals(ExitCodes.USAGE, cli.run("admin", "restore"));
    assertEquals(AdminRestoreCommand.MOVED + System.lineSeparator(), cli.err());
  }
}
