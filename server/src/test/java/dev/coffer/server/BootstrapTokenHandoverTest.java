package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.config.ConfigException;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.directory.BootstrapService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap token goes to a new 0600 file (or stdout when asked); lines name its id. */
class BootstrapTokenHandoverTest {

  private static final Pattern TOKEN_ID = Pattern.compile("token (tok_[A-Za-z0-9_-]+)");

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  private Vault open() {
    return Vault.open(dir.resolve("db"), DevRootKeyFile.loadOrCreate(dir.resolve("root.json")),
        Clock.systemUTC(), 5);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void toFile_writesTheTokenOnce_mode0600_andPrintsOnlyItsId() throws Exception {
    Path file = dir.resolve("bootstrap-token");
    try (Vault vault = open()) {
      BootstrapTokenHandover.toFile(file, print).bootstrapIfEmpty(vault.directory().bootstrap());

      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(file)));
      String token = Files.readString(file).trim();
      assertTrue(token.startsWith("cfr_at_"), "the file holds the token");
      assertFalse(printed().contains(token), "the value is never printed: " + printed());
      Matcher id = TOKEN_ID.matcher(printed());
      assertTrue(id.find(), printed());
      assertTrue(printed().contains("written to " + file + " (mode 0600)"), printed());
      assertTrue(printed().contains("coffer token revoke " + id.group(1)), printed());
      try (SecretValue presented = SecretValue.ofString(token)) {
        assertEquals(BootstrapService.ADMIN, vault.directory().tokens().authenticate(presented)
            .principalId(), "the file's token is the admin's");
      }

      out.reset();
      BootstrapTokenHandover.toFile(file, print).bootstrapIfEmpty(vault.directory().bootstrap());
      assertEquals(token, Files.readString(file).trim(), "a later start leaves the file alone");
      assertTrue(printed().contains("still exists"), printed());
    }
  }

  @Test
  void existingFile_onAnEmptyVault_isRefused_beforeAnyTokenIsIssued() throws Exception {
    Path file = Files.writeString(dir.resolve("bootstrap-token"), "an older token");
    try (Vault vault = open()) {
      var handover = BootstrapTokenHandover.toFile(file, print);
      ConfigException e = assertThrows(ConfigException.class,
          () -> handover.bootstrapIfEmpty(vault.directory().bootstrap()));
      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
      assertEquals("an older token", Files.readString(file));
      assertTrue(vault.directory().bootstrap().needed(), "nothing was bootstrapped");
    }
  }

  @Test
  void missingDirectory_isRefused_andTheVaultStaysEmpty() {
    Path file = dir.resolve("no-such-dir").resolve("bootstrap-token");
    try (Vault vault = open()) {
      var handover = BootstrapTokenHandover.toFile(file, print);
      ConfigException e = assertThrows(ConfigException.class,
          () -> handover.bootstrapIfEmpty(vault.directory().bootstrap()));
      assertTrue(e.getMessage().contains("cannot create the bootstrap token file"),
          e.getMessage());
      assertTrue(vault.directory().bootstrap().needed(),
          "no token was issued that nobody could read");
    }
  }

  @Test
  void toStdout_printsTheValueOnce_withItsId() {
    try (Vault vault = open()) {
      BootstrapTokenHandover.toStdout(print).bootstrapIfEmpty(vault.directory().bootstrap());
    }
    Matcher id = TOKEN_ID.matcher(printed());
    assertTrue(id.find(), printed());
    assertTrue(printed().lines().anyMatch(l -> l.startsWith("cfr_at_")), printed());
  }
}
