package dev.coffer.e2e;

import static dev.coffer.e2e.CliProcess.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.crypto.DevRootKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar started as in production (a root key, no {@code --dev}): the data dir is
 * created private, the bootstrap token goes to a 0600 file in it and only its id is
 * printed, {@code coffer whoami} names that id, and a restart on a data dir that group
 * members can read is refused with one line.
 */
class ProductionStartEndToEndIT {

  private static final Pattern TOKEN_ID = Pattern.compile("its token (tok_[A-Za-z0-9_-]+)");

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void firstStart_tokenToAPrivateFile_whoamiNamesIt_andAnOpenDataDirIsRefused()
      throws Exception {
    String rootKey = DevRootKeyFile.loadOrCreate(dir.resolve("keys").resolve("root.json"))
        .path().toUri().toString();
    Path data = dir.resolve("data");
    Path tokenFile = data.resolve("bootstrap-token");
    String tokenId;
    try (ServerProcess server = ServerProcess.startWithRootKey(rootKey, data, dir, "prod")) {
      assertEquals("rwx------", mode(data));
      assertEquals("rw-------", mode(tokenFile));
      String token = Files.readString(tokenFile).strip();
      assertTrue(token.startsWith("cfr_at_"));
      String log = server.log();
      assertFalse(log.contains(token), "the token is never printed without --dev");
      Matcher id = TOKEN_ID.matcher(log);
      assertTrue(id.find(), log);
      tokenId = id.group(1);

      CliProcess.Result whoami = ok(new CliProcess(server.address(), dir).run(token, null,
          "whoami"));
      assertTrue(whoami.stdout().lines().anyMatch(l -> l.matches("token\\s+" + tokenId)),
          whoami.stdout());
      server.stop(); // SIGTERM: a clean stop, so the restart below finds the lock free
    }

    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> ServerProcess.startWithRootKey(rootKey, data, dir, "open"));
    assertTrue(refused.getMessage().contains("server exited with 2"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--data-dir " + data + " is accessible by group "
        + "or others (mode rwxr-x---); run: chmod 700 " + data), refused.getMessage());
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
