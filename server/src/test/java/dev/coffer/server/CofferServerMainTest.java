package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up refusals: each is exit code 2 with a message that says what to do. */
class CofferServerMainTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    CofferServerMain main = new CofferServerMain(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(main).execute(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutDevOrRootKey_refusesToStart_andSaysHow() {
    assertEquals(2, run("--data-dir", dir.resolve("d").toString(), "--root-key", ""));
    assertTrue(stderr().contains("--root-key"), stderr());
    assertTrue(stderr().contains("--dev"), stderr());
    assertFalse(Files.exists(dir.resolve("d").resolve("db")), "nothing is created");
  }

  @Test
  void nonLoopbackListenAddress_isRefused() {
    assertEquals(2, run("--dev", "--data-dir", dir.toString(), "--listen", "0.0.0.0:7443"));
    assertTrue(stderr().contains("loopback"), stderr());
  }

  @Test
  void wrongRootKeyForTheDataDir_isAClearStartupError() throws Exception {
    Path data = dir.resolve("data");
    Vault.open(data.resolve("db"), dev.coffer.server.crypto.DevRootKeyFile.loadOrCreate(
        data.resolve("dev-root-key.json")), java.time.Clock.systemUTC(), 5).close();
    Path other = dir.resolve("other.json");
    dev.coffer.server.crypto.DevRootKeyFile.loadOrCreate(other);
    assertEquals(2, run("--data-dir", data.toString(), "--root-key", other.toUri().toString()));
    assertTrue(stderr().contains("wrong root key"), stderr());
  }

  @Test
  void existingBootstrapTokenFile_isNeverOverwritten() throws Exception {
    Path f = Files.writeString(dir.resolve("token"), "keep");
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--bootstrap-token-file", f.toString()));
    assertEquals("keep", Files.readString(f));
  }

  @Test
  void clientCaWithoutTls_isRefused() throws Exception {
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--tls-client-ca", dir.resolve("ca.pem").toString()));
    assertTrue(stderr().contains("--tls-client-ca"), stderr());
    assertFalse(Files.exists(dir.resolve("d").resolve("db")), "nothing is created");
  }

  @Test
  void spiffeIdentityWithoutTrustDomain_isRefused() {
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--tls-cert", dir.resolve("s.crt").toString(), "--tls-key",
        dir.resolve("s.key").toString(), "--tls-client-ca", dir.resolve("ca.pem").toString()));
    assertTrue(stderr().contains("--mtls-trust-domain"), stderr());
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--tls-cert", dir.resolve("s.crt").toString(), "--tls-key",
        dir.resolve("s.key").toString(), "--tls-client-ca", dir.resolve("ca.pem").toString(),
        "--mtls-identity", "dns"));
    assertTrue(stderr().contains("--mtls-dns-suffix"), stderr());
  }
}
