package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SessionFile}: where it lives, its mode, and when its token is handed out. */
class SessionFileTest {

  private static final Instant EXP = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;

  private static CliContext ctx(Map<String, String> env) {
    return CliContext.builder().out(new PrintWriter(new StringWriter()))
        .err(new PrintWriter(new StringWriter())).env(env).build();
  }

  private static SessionFile.Session session(String address) {
    return new SessionFile.Session(address, "acme", "tenants/acme/principals/bob", "tok_1", EXP,
        "cfr_at_SECRET");
  }

  @Test
  void theConfigDir_isCofferConfigDir_elseXdg_elseHome() {
    assertEquals(Path.of("/c/coffer-cfg"), SessionFile.configDir(ctx(Map.of(
        SessionFile.ENV_CONFIG_DIR, "/c/coffer-cfg", "XDG_CONFIG_HOME", "/x", "HOME", "/h"))));
    assertEquals(Path.of("/x/coffer"),
        SessionFile.configDir(ctx(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"))));
    assertEquals(Path.of("/h/.config/coffer"), SessionFile.configDir(ctx(Map.of("HOME", "/h"))));
  }

  @Test
  void anOldWorldReadableFile_isReplacedByANew0600One() throws Exception {
    Path config = dir.resolve("cfg");
    Files.createDirectories(config);
    Path file = config.resolve(SessionFile.FILE_NAME);
    Files.writeString(file, "{}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    SessionFile sessions = SessionFile.of(ctx(Map.of(SessionFile.ENV_CONFIG_DIR,
        config.toString())));
    sessions.save(session("127.0.0.1:7443"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(session("127.0.0.1:7443"), sessions.load());
    assertFalse(sessions.toString().contains("cfr_at_") || sessions.load().toString()
        .contains("cfr_at_"));
  }

  @Test
  void theToken_isHandedOutOnlyForItsServer_beforeItsExpiry() {
    SessionFile sessions = SessionFile.of(ctx(Map.of(SessionFile.ENV_CONFIG_DIR,
        dir.toString())));
    assertNull(sessions.bearerFor("127.0.0.1:7443", EXP.minusSeconds(1)));
    sessions.save(session("127.0.0.1:7443"));
    assertEquals("cfr_at_SECRET", sessions.bearerFor("127.0.0.1:7443", EXP.minusSeconds(1)));
    assertNull(sessions.bearerFor("127.0.0.1:7444", EXP.minusSeconds(1)));
    assertNull(sessions.bearerFor("127.0.0.1:7443", EXP));
    assertTrue(sessions.delete());
    assertFalse(sessions.delete());
  }

  @Test
  void aCorruptFile_readsAsNoSession() throws Exception {
    Files.writeString(dir.resolve(SessionFile.FILE_NAME), "not json {");
    SessionFile sessions = SessionFile.of(ctx(Map.of(SessionFile.ENV_CONFIG_DIR,
        dir.toString())));
    assertNull(sessions.load());
    assertNull(sessions.bearerFor("127.0.0.1:7443", EXP.minusSeconds(1)));
  }
}
