package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.TestVault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer-server restore}: the offline restore moved out of the CLI (issue 16), with the
 * same checks and exit codes (0 verified, 1 usage or unusable root key, 5 restore failed), run
 * through the server's own entry point on a real RocksDB backup.
 */
class RestoreCommandTest {

  @TempDir Path dir;
  @RegisterExtension
  final CofferExtension fixture = CofferExtension.vaultOnly().build();
  TestVault t;
  Path backup;
  final List<String> values = new ArrayList<>();

  @BeforeEach
  void setUp() {
    t = fixture.vault();
    CallContext admin = t.admin();
    Application app = t.vault.directory().applications().create(admin, "payments_api", "production",
        null, OAuthFlow.AUTHORIZATION_CODE, "admin").application();
    for (int i = 0; i < 3; i++) {
      SecretMinter.Minted m = TestSecrets.create(t.vault, admin, app.clientId(),
          SecretRequest.builder().displayName("s" + i).location("/").vaulted(true)
              .preapproveOwner(true).build());
      try (SecretValue v = m.value()) {
        values.add(v.reveal());
      }
    }
    backup = t.vault.operator().admin().backup(admin, "nightly").path();
  }

  private record Run(int exit, String out, String err) {}

  private Run restore(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = RestoreCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private Path devKey() {
    return t.dir.resolve("root.json");
  }

  @Test
  void restoresAndVerifies_copiesTheDevKey_andPrintsNoValue() throws Exception {
    Path target = dir.resolve("restored");
    Run r = restore("--from", backup.toString(), "--data-dir", target.toString(),
        "--dev-root-key", devKey().toString(), "-o", "json");
    assertEquals(0, r.exit(), r.err());
    Struct.Builder json = Struct.newBuilder();
    JsonFormat.parser().merge(r.out(), json);
    assertTrue(json.getFieldsOrThrow("ok").getBoolValue(), r.out());
    assertEquals(3, json.getFieldsOrThrow("vaultedSecrets").getNumberValue());
    assertEquals(3, json.getFieldsOrThrow("valuesDecrypted").getNumberValue());
    assertEquals(Files.readString(devKey()),
        Files.readString(target.resolve("dev-root-key.json")));
    DevRootKeyFile.load(target.resolve("dev-root-key.json"));
    for (String v : values) {
      assertFalse(r.out().contains(v) || r.err().contains(v), "no value is printed");
    }
  }

  @Test
  void textOutput_namesTheChecks() {
    Run r = restore("--from", backup.toString(), "--data-dir", dir.resolve("r").toString(),
        "--dev-root-key", devKey().toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("values decrypted  3"), r.out());
    assertTrue(r.out().matches("(?s).*\\nproblems +none\\n.*"), r.out());
  }

  @Test
  void neverOverAVault_exit5_andTheExistingDirIsUntouched() throws Exception {
    Path target = dir.resolve("restored");
    assertEquals(0, restore("--from", backup.toString(), "--data-dir", target.toString(),
        "--dev-root-key", devKey().toString()).exit());
    long before;
    try (Stream<Path> s = Files.walk(target)) {
      before = s.count();
    }
    Run again = restore("--from", backup.toString(), "--data-dir", target.toString(),
        "--dev-root-key", devKey().toString());
    assertEquals(RestoreCommand.RESTORE_FAILED, again.exit());
    assertTrue(again.err().contains("restore failed"), again.err());
    try (Stream<Path> s = Files.walk(target)) {
      assertEquals(before, s.count());
    }
  }

  @Test
  void notABackup_exit5_andNothingIsLeft() throws Exception {
    Path target = dir.resolve("restored");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Run r = restore("--from", empty.toString(), "--data-dir", target.toString(),
        "--dev-root-key", devKey().toString());
    assertEquals(RestoreCommand.RESTORE_FAILED, r.exit());
    assertFalse(Files.exists(target.resolve("db")), "nothing restored");
  }

  @Test
  void theServerJarsEntryPoint_dispatchesRestore() {
    Path target = dir.resolve("via-main");
    assertEquals(0, CofferServerMain.run("restore", "--from", backup.toString(), "--data-dir",
        target.toString(), "--dev-root-key", devKey().toString()));
    assertTrue(Files.isDirectory(target.resolve("db")));
    assertEquals(RestoreCommand.USAGE, CofferServerMain.run("restore", "--from", "x"),
        "restore's usage exit, not the server's 2 for a missing --data-dir");
  }

  @Test
  void usageErrors_exit1() {
    assertEquals(RestoreCommand.USAGE, restore("--from", backup.toString()).exit(),
        "--data-dir and a root key are required");
    assertEquals(RestoreCommand.USAGE, restore("--from", backup.toString(), "--data-dir",
        dir.resolve("x").toString(), "--root-key", "dev://x", "--dev-root-key",
        devKey().toString()).exit(), "one root key only");
    Run badUri = restore("--from", backup.toString(), "--data-dir",
        dir.resolve("x").toString(), "--root-key", "nosuch://key");
    assertEquals(RestoreCommand.USAGE, badUri.exit(), badUri.err());
    assertFalse(Files.exists(dir.resolve("x").resolve("db")));
  }
}
