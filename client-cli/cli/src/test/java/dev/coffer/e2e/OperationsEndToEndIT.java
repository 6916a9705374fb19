package dev.coffer.e2e;

import static dev.coffer.e2e.CliProcess.json;
import static dev.coffer.e2e.CliProcess.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.Backup;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.KekKey;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.VaultStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's day with the real jars: rotate the KEK while serving and retire the old key
 * once the background re-wrap is done; take an online backup while a client keeps writing;
 * restore it offline with the server jar's {@code restore} (the CLI's {@code admin restore} only
 * points there); start a second server on the restored directory and read
 * the secrets back.
 */
class OperationsEndToEndIT {

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void rotateKek_backupWhileWriting_restore_andServeTheRestoredVault() throws Exception {
    Path data = dir.resolve("data");
    Path tokenFile = dir.resolve("admin.token");
    Map<String, String> vaulted = new LinkedHashMap<>();
    Path backupPath;
    String admin;
    try (ServerProcess server = ServerProcess.start(data, dir, "live",
        "--bootstrap-token-file", tokenFile.toString())) {
      admin = Files.readString(tokenFile).trim();
      CliProcess cli = new CliProcess(server.address(), dir);
      String clientId = json(cli.run(admin, null, "app", "create", "--name", "payments_api",
          "--env", "production", "-o", "json"), CreateApplicationResponse.getDefaultInstance())
          .getApplication().getClientId();
      for (int i = 0; i < 3; i++) {
        CreateSecretResponse s = json(cli.run(admin, null, "secret", "create", "--app",
            clientId, "--name", "v" + i, "--vault", "--preapprove-owner", "-o", "json",
            "--yes"), CreateSecretResponse.getDefaultInstance());
        vaulted.put(s.getSecret().getSecretId(), s.getValue());
      }

      VaultStatus before = json(cli.run(admin, null, "admin", "status", "-o", "json"),
          VaultStatus.getDefaultInstance());
      assertEquals(1, before.getKekKeysCount());
      int oldKey = before.getKekKeys(0).getKeyId();
      KekKey newKey = json(cli.run(admin, null, "admin", "rotate-kek", "-o", "json"),
          KekKey.getDefaultInstance());
      assertTrue(newKey.getPrimary());
      VaultStatus after = awaitRewrapDone(cli, admin);
      assertEquals(newKey.getKeyId(), after.getKekRewrap().getTargetKeyId());
      assertEquals(vaulted.size(), after.getKekRewrap().getRewrapped());
      String old = Integer.toUnsignedString(oldKey);
      assertEquals(15, cli.run(admin, null, "admin", "kek", "destroy", old, "--yes").exit(),
          "an enabled key cannot be destroyed");
      ok(cli.run(admin, null, "admin", "kek", "disable", old));
      assertEquals(1, cli.run(admin, null, "admin", "kek", "destroy", old).exit(),
          "destroy asks for --yes");
      ok(cli.run(admin, null, "admin", "kek", "destroy", old, "--yes"));
      var first = vaulted.entrySet().iterator().next();
      assertEquals(first.getValue(), json(cli.run(admin, null, "secret", "reveal",
          first.getKey(), "-o", "json"), RevealSecretResponse.getDefaultInstance()).getValue());

      // A second client writes while the backup is taken.
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService writer = Executors.newSingleThreadExecutor();
      CliProcess writerCli = new CliProcess(server.address(), Files.createDirectory(
          dir.resolve("writer")));
      Future<Integer> written = writer.submit(() -> {
        int n = 0;
        while (!stop.get() && n < 8) {
          ok(writerCli.run(admin, null, "secret", "create", "--app", clientId, "--name",
              "w" + n, "--vault", "--preapprove-owner", "-o", "json", "--yes"));
          n++;
        }
        return n;
      });
      Backup backup = json(cli.run(admin, null, "admin", "backup", "--to", "nightly", "-o",
          "json"), Backup.getDefaultInstance());
      stop.set(true);
      written.get(120, TimeUnit.SECONDS);
      writer.shutdown();
      backupPath = Path.of(backup.getPath());
      assertEquals(data.resolve("backups").resolve("nightly").toAbsolutePath(), backupPath);
      assertTrue(backup.getVaultedSecrets() >= vaulted.size());
      assertEquals(10, cli.run(admin, null, "admin", "backup", "--to", "../x").exit());
      server.stop();
    }

    Path restored = dir.resolve("restored");
    CliProcess offline = new CliProcess("127.0.0.1:1", dir);
    CliProcess.Result moved = offline.run(null, null, "admin", "restore", "--from",
        backupPath.toString(), "--data-dir", restored.toString(), "--dev-root-key",
        data.resolve("dev-root-key.json").toString());
    assertEquals(1, moved.exit(), "the CLI only points to the server jar");
    assertTrue(moved.stderr().contains("coffer-server.jar restore"), moved.stderr());
    assertFalse(Files.exists(restored), "the CLI restores nothing");
    CliProcess.Result restore = offline.runServerJar("restore", "--from",
        backupPath.toString(), "--data-dir", restored.toString(), "--dev-root-key",
        data.resolve("dev-root-key.json").toString());
    ok(restore);
    assertTrue(restore.stdout().contains("problems") && restore.stdout().contains("none"),
        restore.stdout());
    assertEquals(5, offline.runServerJar("restore", "--from",
        backupPath.toString(), "--data-dir", restored.toString(), "--dev-root-key",
        data.resolve("dev-root-key.json").toString()).exit(), "never over a vault");

    try (ServerProcess second = ServerProcess.start(restored, dir, "restored")) {
      CliProcess cli = new CliProcess(second.address(), dir);
      for (var e : vaulted.entrySet()) {
        assertEquals(e.getValue(), json(cli.run(admin, null, "secret", "reveal", e.getKey(),
            "-o", "json"), RevealSecretResponse.getDefaultInstance()).getValue());
      }
      assertFalse(second.log().contains("created now"), "the restored key, not a new one");
      second.stop();
    }
  }

  private static VaultStatus awaitRewrapDone(CliProcess cli, String admin) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      VaultStatus s = json(cli.run(admin, null, "admin", "status", "-o", "json"),
          VaultStatus.getDefaultInstance());
      if (s.hasKekRewrap() && !s.getKekRewrap().getRunning()) {
        return s;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("KEK re-wrap not done within 60 s: " + s);
      }
      Thread.sleep(500);
    }
  }
}
