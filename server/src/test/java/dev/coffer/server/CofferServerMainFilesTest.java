package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Production start-up (no {@code --dev}) and files: the data dir is private or refused, the
 * bootstrap token goes to a 0600 file by default, {@code /metrics} stays on loopback unless
 * asked. Each run ends before serving (a busy port), after the step under test.
 */
class CofferServerMainFilesTest {

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /**
   * Runs the server with {@code args} and its gRPC port already taken, so that a run ends
   * (exit 2, "cannot listen on") even when a check under test is missing.
   */
  private int run(String... args) throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String[] all = Arrays.copyOf(args, args.length + 2);
      all[args.length] = "--listen";
      all[args.length + 1] = "127.0.0.1:" + busy.getLocalPort();
      CofferServerMain main = new CofferServerMain(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      return new CommandLine(main).execute(all);
    }
  }

  private String rootKey() {
    return DevRootKeyFile.loadOrCreate(dir.resolve("keys").resolve("root.json")).path().toUri()
        .toString();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void groupReadableDataDir_isRefusedInOneLine_beforeAnythingIsOpened() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    assertEquals(2, run("--data-dir", data.toString(), "--root-key", rootKey()));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals("coffer-server: --data-dir " + data + " is accessible by group or others "
        + "(mode rwxr-x---); run: chmod 700 " + data, stderr.strip());
    assertFalse(Files.exists(data.resolve("db")), "nothing is created");
  }

  @Test
  void productionStart_createsAPrivateDataDir_andWritesTheTokenToAPrivateFileByDefault()
      throws Exception {
    Path data = dir.resolve("new").resolve("data");
    // Everything up to the bootstrap runs; then the gRPC port is taken, so it stops.
    assertEquals(2, run("--data-dir", data.toString(), "--root-key", rootKey(),
        "--metrics-listen", "off"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot listen on"), err.toString());
    assertEquals("rwx------", mode(data));
    assertEquals("rwx------", mode(data.resolve("db")));
    try (Stream<Path> files = Files.walk(data.resolve("db"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        assertFalse(Files.getPosixFilePermissions(f).stream().anyMatch(GROUP_OR_OTHERS::contains),
            f + " is " + mode(f));
      }
    }
    Path token = data.resolve("bootstrap-token");
    assertEquals("rw-------", mode(token));
    String value = Files.readString(token).strip();
    assertTrue(value.startsWith("cfr_at_"), "the file holds the token");
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains(value), "never printed without --dev: " + printed);
    assertTrue(printed.matches("(?s).*its token tok_\\S+ \\(valid 90 days\\) was written to "
        + java.util.regex.Pattern.quote(token.toString()) + ".*"), printed);
  }

  @Test
  void bootstrapTokenStdout_printsIt_andExcludesAFile() throws Exception {
    Path data = dir.resolve("data");
    assertEquals(2, run("--data-dir", data.toString(), "--root-key", rootKey(),
        "--metrics-listen", "off", "--bootstrap-token-stdout"));
    assertTrue(out.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("cfr_at_")));
    assertFalse(Files.exists(data.resolve("bootstrap-token")));
    err.reset();
    assertEquals(2, run("--data-dir", data.toString(), "--root-key", rootKey(),
        "--bootstrap-token-stdout", "--bootstrap-token-file", dir.resolve("t").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("exclude each other"));
  }

  @Test
  void metricsOnANonLoopbackAddress_needsTheExplicitFlag() throws Exception {
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--metrics-listen", "0.0.0.0:0"));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertTrue(stderr.contains("--metrics-listen 0.0.0.0 is not a loopback address"), stderr);
    assertTrue(stderr.contains("--metrics-listen-public"), stderr);
    assertFalse(Files.exists(dir.resolve("d").resolve("db")), "nothing is created");
  }

  @Test
  void metricsOnANonLoopbackAddress_withTheFlag_passesTheCheck() throws Exception {
    // Passes the metrics check, then stops at the busy gRPC port.
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--metrics-listen", "0.0.0.0:0", "--metrics-listen-public"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot listen on"), err.toString());
  }

  @Test
  void theStartUpLogSaysWhereIssuerKeysAreFetchedFrom_noHost_anyWithDev_orTheList()
      throws Exception {
    assertEquals(2, run("--data-dir", dir.resolve("p").toString(), "--root-key", rootKey(),
        "--metrics-listen", "off"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("trusted issuers' keys are "
        + "fetched from no host (inline jwks_json only; allow hosts with --issuer-fetch-hosts)"),
        err.toString());
    err.reset();
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--metrics-listen", "off"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("trusted issuers' keys are "
        + "fetched from any https host and http on loopback (--dev)"), err.toString());
    err.reset();
    assertEquals(2, run("--dev", "--data-dir", dir.resolve("d").toString(),
        "--metrics-listen", "off", "--issuer-fetch-hosts", "*.idp.example"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("trusted issuers' keys are "
        + "fetched from *.idp.example"), err.toString());
  }

  @Test
  void aClusterNodeWhoseRaftCaAlsoSignsApiClientCertificates_isRefusedBeforeAnythingIsOpened()
      throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "shared-ca");
    TestCertificates.Pem api = TestCertificates.server(dir, ca, "api", 2);
    TestCertificates.Pem raft = TestCertificates.server(dir, ca, "raft", 3);
    Path data = dir.resolve("data");
    assertEquals(2, run("--data-dir", data.toString(), "--root-key", rootKey(),
        "--tls-cert", api.cert().toString(), "--tls-key", api.key().toString(),
        "--tls-client-ca", ca.pem().cert().toString(), "--mtls-identity", "cn",
        "--cluster-node-id", "coffer-0", "--cluster-address", "127.0.0.1:7000",
        "--cluster-peers", "coffer-0=127.0.0.1:7000", "--cluster-init",
        "--cluster-tls-cert", raft.cert().toString(), "--cluster-tls-key", raft.key().toString(),
        "--cluster-tls-ca", ca.pem().cert().toString()));
    assertEquals("coffer-server: --cluster-tls-ca and --tls-client-ca share the authority "
        + "CN=shared-ca: a client certificate for the API could then join the Raft group and "
        + "write anything; sign the Raft certificates with a CA used for nothing else",
        err.toString(StandardCharsets.UTF_8).strip());
    assertFalse(Files.exists(data), "nothing is created");
  }
}
