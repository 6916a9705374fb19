package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.RootKeyProviders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up refusals: each is exit code 2 with a message that says what to do. */
class CofferServerMainTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return run(RootKeyProviders.standard(), args);
  }

  private int run(RootKeyProviders rootKeys, String... args) {
    CofferServerMain main = new CofferServerMain(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), rootKeys);
    return new CommandLine(main).execute(args);
  }

  private static RootKeyProviders environment(Map<String, String> variables) {
    return RootKeyProviders.standard().withEnvironment(variables::get);
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
  void clusterSeedAndJoinFlags_reachTheClusterChecks_andARefusedSeedCreatesNothing() {
    Path data = dir.resolve("seed");
    assertEquals(2, run("--dev", "--data-dir", data.toString(), "--cluster-node-id", "a",
        "--cluster-address", "127.0.0.1:7000", "--cluster-peers", "a=127.0.0.1:7000",
        "--cluster-seed"));
    assertTrue(stderr().contains("--cluster-seed needs --cluster-init"), stderr());
    assertEquals(2, run("--dev", "--data-dir", data.toString(), "--cluster-node-id", "a",
        "--cluster-address", "127.0.0.1:7000", "--cluster-peers", "a=127.0.0.1:7000",
        "--cluster-init", "--cluster-join"));
    assertTrue(stderr().contains("--cluster-join and --cluster-init exclude each other"),
        stderr());
    assertEquals(2, run("--dev", "--data-dir", data.toString(), "--cluster-node-id", "a",
        "--cluster-address", "127.0.0.1:7000", "--cluster-peers", "a=127.0.0.1:7000",
        "--cluster-init", "--cluster-election-timeout-ms", "50"));
    assertTrue(stderr().contains("--cluster-election-timeout-ms must be from 100 to 60000"),
        stderr());
    assertFalse(Files.exists(data.resolve("db")), "nothing is created");
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
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
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

  @Test
  void envRootKey_isBuiltFromTheVariable_andUsedOnTheVault() throws Exception {
    Path data = dir.resolve("data");
    Vault.open(data.resolve("db"), DevRootKeyFile.loadOrCreate(dir.resolve("a.json")),
        Clock.systemUTC(), 5).close();
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    String otherKey = Files.readString(DevRootKeyFile.loadOrCreate(dir.resolve("b.json")).path());

    assertEquals(2, run(environment(Map.of("COFFER_ROOT_KEY_JSON", otherKey)),
        "--data-dir", data.toString(), "--root-key", "env://COFFER_ROOT_KEY_JSON"));

    assertTrue(stderr().contains("root key: root key environment variable COFFER_ROOT_KEY_JSON"),
        stderr());
    assertTrue(stderr().contains("wrong root key"), "the vault was tried with it: " + stderr());
    assertFalse(stderr().contains(keyValue(otherKey)), stderr());
  }

  @Test
  void envRootKey_unsetOrMalformed_isAConfigurationError_namingOnlyTheVariable() {
    assertEquals(2, run(environment(Map.of()), "--data-dir", dir.resolve("d").toString(),
        "--root-key", "env://COFFER_ROOT_KEY_JSON"));
    assertTrue(stderr().contains("root key environment variable COFFER_ROOT_KEY_JSON is not "
        + "set"), stderr());
    err.reset();
    assertEquals(2, run(environment(Map.of("K", "{\"SECRET-LOOKING\": 1}")), "--data-dir",
        dir.resolve("d").toString(), "--root-key", "env://K"));
    assertTrue(stderr().contains("root key environment variable K is not a valid Tink JSON AEAD "
        + "keyset"), stderr());
    assertFalse(stderr().contains("SECRET-LOOKING"), stderr());
    assertFalse(Files.exists(dir.resolve("d").resolve("db")), "nothing is created");
  }

  @Test
  void kmsRootKey_missingCredentialsFile_isAConfigurationError_beforeAnythingIsCreated() {
    Path missing = dir.resolve("no-such-credentials.json");
    assertEquals(2, run("--data-dir", dir.resolve("d").toString(), "--root-key",
        "gcp-kms://projects/p/locations/global/keyRings/r/cryptoKeys/k",
        "--kms-credentials", missing.toString()));
    assertTrue(stderr().contains("the KMS credentials file " + missing
        + " is missing or unreadable"), stderr());
    assertFalse(Files.exists(dir.resolve("d").resolve("db")), "nothing is created");
  }

  @Test
  void help_listsEveryRootKeyScheme_andTheKmsCredentialsFlag() {
    String help = new CommandLine(new CofferServerMain(System.out, System.err))
        .getUsageMessage().replaceAll("\\s+", ""); // picocli wraps at "://"
    for (String text : List.of("file:///", "env://VARIABLE", "fd://N", "aws-kms://",
        "gcp-kms://", "--kms-credentials", "COFFER_KMS_CREDENTIALS")) {
      assertTrue(help.contains(text), text + " in " + help);
    }
  }

  /** The base64 key bytes inside a Tink JSON keyset. */
  private static String keyValue(String json) {
    var m = java.util.regex.Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    assertTrue(m.find());
    return m.group(1);
  }

  @Test
  void aBareWildcardIssuerFetchHost_refusesToStart_namingTheFlag_andCreatesNothing() {
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--issuer-fetch-hosts", "*"));
    assertTrue(stderr().contains("--issuer-fetch-hosts"), stderr());
    assertFalse(Files.exists(dir.resolve("d").resolve("db")), "nothing is created");
  }
}
