package dev.coffer.e2e;

import static dev.coffer.e2e.CliProcess.json;
import static dev.coffer.e2e.CliProcess.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.ListLocationsResponse;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README flow end to end: the server jar as a real process on 127.0.0.1, the CLI jar
 * as a subprocess, a graceful restart, and a search for every shown-once value in every
 * later response, the server's logs and the raw RocksDB files.
 */
class VaultEndToEndIT {

  @TempDir Path dir;
  private final List<CliProcess.Result> laterOutputs = new ArrayList<>();

  @Test
  @Timeout(300)
  void createShowOnceRevealVerifyRestart_andValuesNeverReappear() throws Exception {
    Path data = dir.resolve("data");
    Path tokenFile = dir.resolve("admin.token");
    String admin;
    String alice;
    String clientId;
    String initialValue;
    String vaultedId;
    String vaultedValue;
    String plainId;
    String plainValue;
    String otherAppValue;
    List<String> logs = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(data, dir, "first",
        "--bootstrap-token-file", tokenFile.toString())) {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(tokenFile)));
      admin = Files.readString(tokenFile).trim();
      assertTrue(server.log().contains("DEVELOPMENT MODE"), "dev mode warns loudly");
      CliProcess cli = new CliProcess(server.address(), dir);

      ok(cli.run(admin, null, "tenant", "create", "acme"));
      ok(cli.run(admin, null, "principal", "create", "--tenant", "acme", "--name", "carol",
          "--admin"));
      ok(cli.run(admin, null, "principal", "create", "--name", "alice"));
      alice = json(cli.run(admin, null, "token", "issue", "--principal", "alice", "-o", "json"),
          IssueTokenResponse.getDefaultInstance()).getValue();
      String carol = json(cli.run(admin, null, "token", "issue", "--tenant", "acme",
          "--principal", "carol", "-o", "json"), IssueTokenResponse.getDefaultInstance()).getValue();
      ok(cli.run(admin, null, "location", "create", "/Finance/Payments"));
      ListLocationsResponse locations = json(cli.run(alice, null, "location", "list", "-o",
          "json"), ListLocationsResponse.getDefaultInstance());
      assertEquals(List.of("/", "/Finance", "/Finance/Payments"),
          locations.getLocationsList().stream().map(l -> l.getPath()).toList());

      CreateApplicationResponse app = json(cli.run(admin, null, "app", "create", "--name",
          "payments_api", "--env", "production", "--owner", "alice", "-o", "json"),
          CreateApplicationResponse.getDefaultInstance());
      clientId = app.getApplication().getClientId();
      initialValue = app.getInitialSecretValue();
      assertTrue(initialValue.startsWith("cfr_cs_"));
      otherAppValue = json(cli.run(admin, null, "app", "create", "--name", "orders_api",
          "--env", "production", "-o", "json"), CreateApplicationResponse.getDefaultInstance())
          .getInitialSecretValue();

      CliProcess.Result vaulted = cli.run(alice, null, "secret", "create", "--app", clientId,
          "--name", "ci-deploy", "--location", "/Finance", "--vault", "--preapprove-owner",
          "--out-file", "ci-deploy.secret", "--yes");
      ok(vaulted);
      Path secretFile = dir.resolve("ci-deploy.secret");
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(secretFile)));
      vaultedValue = Files.readString(secretFile).trim();
      assertFalse(vaulted.stdout().contains(vaultedValue), "--out-file keeps it off stdout");
      CreateSecretResponse plain = json(cli.run(alice, null, "secret", "create", "--app",
          clientId, "--name", "webhook", "--expires", "2027-06-01", "-o", "json", "--yes"),
          CreateSecretResponse.getDefaultInstance());
      plainId = plain.getSecret().getSecretId();
      plainValue = plain.getValue();

      ListSecretsResponse listed = json(later(cli.run(alice, null, "secret", "list", "--app",
          clientId, "-o", "json")), ListSecretsResponse.getDefaultInstance());
      assertEquals(3, listed.getSecretsCount());
      vaultedId = listed.getSecretsList().stream().filter(Secret::getVaulted).findFirst()
          .orElseThrow().getSecretId();
      Secret got = json(later(cli.run(alice, null, "secret", "get", vaultedId, "-o", "json")),
          Secret.getDefaultInstance());
      assertEquals("/Finance", got.getLocation());
      later(cli.run(alice, null, "secret", "list"));
      later(cli.run(admin, null, "secret", "list", "--location", "/Finance"));
      later(cli.run(alice, null, "secret", "list", "--expiring-within", "400d"));

      assertEquals(0, later(cli.run(alice, plainValue + "\n", "secret", "verify",
          "--client-id", clientId)).exit());
      assertEquals(0, later(cli.run(alice, initialValue + "\n", "secret", "verify",
          "--client-id", clientId)).exit());
      assertEquals(3, later(cli.run(alice, otherAppValue + "\n", "secret", "verify",
          "--client-id", clientId)).exit(), "a mismatch has its own exit code");
      String typo = plainValue.substring(0, 20) + (plainValue.charAt(20) == 'a' ? 'b' : 'a')
          + plainValue.substring(21);
      assertEquals(10, later(cli.run(alice, typo + "\n", "secret", "verify", "--client-id",
          clientId)).exit(), "a typo fails the checksum before any lookup");

      RevealSecretResponse revealed = json(cli.run(alice, null, "secret", "reveal", vaultedId,
          "-o", "json"), RevealSecretResponse.getDefaultInstance());
      assertEquals(vaultedValue, revealed.getValue());
      assertEquals(12, later(cli.run(admin, null, "secret", "reveal", vaultedId)).exit());
      assertEquals(12, later(cli.run(alice, null, "secret", "reveal", plainId)).exit());

      CliProcess.Result bad = later(cli.run(alice, null, "secret", "create", "--app", clientId,
          "--name", "x", "--share", "--yes"));
      assertEquals(10, bad.exit());
      assertTrue(bad.stderr().contains("sharing_enabled"), bad.stderr());
      assertEquals(11, later(cli.run(null, null, "secret", "list")).exit());
      assertEquals(11, later(cli.run("cfr_at_nonsense", null, "secret", "list")).exit());
      assertEquals(13, later(cli.run(carol, null, "secret", "get", vaultedId)).exit());
      assertEquals(13, later(cli.run(carol, null, "secret", "reveal", vaultedId)).exit());

      server.stop();
      logs.add(server.log());
    }

    try (ServerProcess server = ServerProcess.start(data, dir, "second")) {
      assertFalse(server.log().contains("bootstrap:"), "bootstrap runs once");
      CliProcess cli = new CliProcess(server.address(), dir);
      assertEquals(vaultedValue, json(cli.run(alice, null, "secret", "reveal", vaultedId, "-o",
          "json"), RevealSecretResponse.getDefaultInstance()).getValue(), "vaulted values decrypt");
      assertEquals(0, later(cli.run(alice, plainValue + "\n", "secret", "verify",
          "--client-id", clientId)).exit());
      assertEquals(3, later(cli.run(admin, null, "secret", "list", "-o", "json")).stdout()
          .split("\"secretId\"").length - 1 - 1, "all three of payments_api plus orders_api");
      ok(later(cli.run(alice, null, "secret", "delete", plainId)));
      assertEquals(3, later(cli.run(alice, plainValue + "\n", "secret", "verify",
          "--client-id", clientId)).exit(), "a deleted secret no longer verifies");
      assertEquals(13, later(cli.run(alice, null, "secret", "get", plainId)).exit());
      server.stop();
      logs.add(server.log());
    }

    List<String> shownOnce = List.of(initialValue, plainValue, vaultedValue, otherAppValue,
        alice, admin);
    for (String value : shownOnce) {
      String body = value.substring(7);
      for (CliProcess.Result r : laterOutputs) {
        assertFalse(r.stdout().contains(body) || r.stderr().contains(body),
            "a shown-once value reappeared in a later response");
      }
      for (String log : logs) {
        assertFalse(log.contains(body), "a value reached the server log");
      }
      assertFalse(foundInFiles(data.resolve("db"), body.getBytes(StandardCharsets.UTF_8)),
          "a value is in the RocksDB files in clear");
    }
  }

  private CliProcess.Result later(CliProcess.Result r) {
    laterOutputs.add(r);
    return r;
  }

  private static boolean foundInFiles(Path root, byte[] needle) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
