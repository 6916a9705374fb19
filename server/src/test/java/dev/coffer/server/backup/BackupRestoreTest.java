package dev.coffer.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.RestoreCommand;
import dev.coffer.server.Vault;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online backup while writers run, then offline restore into a new directory, verified
 * three ways; and every way a backup can be unusable is caught before anything serves.
 */
class BackupRestoreTest {

  @TempDir Path dir;
  @RegisterExtension
  final CofferExtension fixture = CofferExtension.vaultOnly().build();
  TestVault t;
  CallContext admin;
  Application app;
  final Map<String, String> values = new HashMap<>();

  @BeforeEach
  void setUp() {
    t = fixture.vault();
    admin = t.admin();
    app = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "admin").application();
    for (int i = 0; i < 12; i++) {
      create("s" + i, i % 3 != 0);
    }
  }

  private void create(String name, boolean vaulted) {
    SecretMinter.Minted m = TestSecrets.create(t.vault, admin, app.clientId(),
        SecretRequest.builder().displayName(name).location("/").vaulted(vaulted)
            .preapproveOwner(vaulted).build());
    try (SecretValue v = m.value()) {
      synchronized (values) {
        values.put(m.stored().metadata().secretId(), v.reveal());
      }
    }
  }

  private DevRootKeyFile rootKey() {
    return DevRootKeyFile.load(t.dir.resolve("root.json"));
  }

  /** Opens restored vaults under the live vault's root key, as {@code restore} does. */
  private BackupRestorer.VaultOpener opener() {
    return RestoreCommand.vaultOpener(rootKey());
  }

  @Test
  void backupWhileWriting_restoresConsistent_andEveryValueOpens() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger written = new AtomicInteger();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<?> load = writer.submit(() -> {
      for (int i = 0; i < 2000 && !stop.get(); i++) {
        create("w" + i, true);
        written.incrementAndGet();
      }
    });
    try {
      while (written.get() < 5) {
        Thread.sleep(5);
      }
      BackupWriter.Written w = t.vault.operator().admin().backup(admin, "b1");
      stop.set(true);
      load.get(60, TimeUnit.SECONDS);
      assertTrue(Files.isRegularFile(w.path().resolve("manifest.json")));
      VaultCensus backedUp = w.manifest().census();
      assertTrue(backedUp.vaultedSecrets() >= 8 + 5, backedUp.toString());

      Path restoredDir = dir.resolve("restored");
      BackupRestorer.Report report = BackupRestorer.restore(w.path(), restoredDir, opener());
      assertTrue(report.ok(), report.problems().toString());
      assertEquals(backedUp, report.restored());
      assertEquals(backedUp.vaultedSecrets(), report.valuesDecrypted());
      assertEquals(backedUp.auditSequence(), report.eventsVerified());

      try (Vault restored = Vault.open(restoredDir.resolve("db"), rootKey(), Clock.systemUTC(),
          5)) {
        CallContext restoredAdmin = new CallContext(admin.caller(), "req", "test");
        int checked = 0;
        for (var e : Map.copyOf(values).entrySet()) {
          if (isVaulted(restored, restoredAdmin, e.getKey())) {
            try (SecretValue v = restored.secrets().reader().reveal(restoredAdmin, e.getKey())) {
              assertEquals(e.getValue(), v.reveal());
              checked++;
            }
          }
        }
        assertEquals(backedUp.vaultedSecrets(), checked);
      }
    } finally {
      stop.set(true);
      writer.shutdownNow();
    }
  }

  @Test
  void backupsAndRestoredVaults_areOwnerOnly() throws Exception {
    BackupWriter.Written w = t.vault.operator().admin().backup(admin, "private");
    assertOwnerOnly(t.vault.operator().admin().status(admin).backupDir());
    assertOwnerOnly(w.path());
    Path restored = dir.resolve("restored-private");
    assertTrue(BackupRestorer.restore(w.path(), restored, opener()).ok());
    assertOwnerOnly(restored);
  }

  /** {@code root} and everything under it: no permission for group or others. */
  private static void assertOwnerOnly(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(p));
        assertTrue(mode.endsWith("------"), p + " is " + mode);
      }
    }
  }

  /** False also for a secret created after the backup was taken (not in it). */
  private static boolean isVaulted(Vault v, CallContext ctx, String secretId) {
    try {
      return v.secrets().secrets().get(ctx, secretId).vaulted();
    } catch (CofferException e) {
      assertEquals(Reason.SECRET_NOT_FOUND, e.reason());
      return false;
    }
  }

  @Test
  void badNames_existingBackups_andMissingConfig_areRefused() {
    CofferException bad = assertThrows(CofferException.class,
        () -> t.vault.operator().admin().backup(admin, "../escape"));
    assertEquals(Reason.INVALID_FIELD, bad.reason());
    assertEquals("name", bad.violations().get(0).field());
    assertFalse(Files.exists(t.dir.resolve("escape")));
    t.vault.operator().admin().backup(admin, "once");
    assertEquals(Reason.ALREADY_EXISTS, assertThrows(CofferException.class,
        () -> t.vault.operator().admin().backup(admin, "once")).reason());
    CallContext alice = t.newPrincipal("default", "alice", true);
    assertEquals(Reason.NOT_SYSTEM_ADMIN, assertThrows(CofferException.class,
        () -> t.vault.operator().admin().backup(alice, "x")).reason());
  }

  @Test
  void alteredFile_missingManifest_nonEmptyTarget_wrongRootKey_areRefused() throws Exception {
    Path backup = t.vault.operator().admin().backup(admin, "b").path();
    Path target = dir.resolve("target");

    Files.createDirectories(target);
    Files.writeString(target.resolve("keep-me"), "x");
    assertThrows(BackupRestorer.RestoreException.class,
        () -> BackupRestorer.restore(backup, target, opener()));
    assertTrue(Files.exists(target.resolve("keep-me")), "a restore never touches a vault");

    DevRootKeyFile other = DevRootKeyFile.loadOrCreate(dir.resolve("other.json"));
    Path fresh = dir.resolve("fresh");
    var wrongKey = assertThrows(BackupRestorer.RestoreException.class,
        () -> BackupRestorer.restore(backup, fresh, RestoreCommand.vaultOpener(other)));
    assertTrue(wrongKey.getMessage().contains("root key"), wrongKey.getMessage());
    assertFalse(Files.exists(fresh), "nothing is left behind");

    Path sst;
    try (Stream<Path> files = Files.list(backup.resolve("db"))) {
      sst = files.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(sst);
    bytes[bytes.length / 2] ^= 1;
    Files.write(sst, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    var altered = assertThrows(BackupRestorer.RestoreException.class,
        () -> BackupRestorer.restore(backup, fresh, opener()));
    assertTrue(altered.getMessage().contains("does not match the manifest"));
    assertFalse(Files.exists(fresh));

    Files.delete(backup.resolve("manifest.json"));
    assertThrows(BackupRestorer.RestoreException.class,
        () -> BackupRestorer.restore(backup, fresh, opener()));
  }

  @Test
  void backupRewrittenByAnAttacker_withFreshChecksums_failsTheAuditCheck() throws Exception {
    Path backup = t.vault.operator().admin().backup(admin, "b").path();
    BackupManifest original = BackupManifest.read(backup);
    // An attacker with the backup edits an audit event and recomputes every checksum.
    Path db = backup.resolve("db");
    try (RocksKvStore store = RocksKvStore.open(db)) {
      var first = store.scan(Table.AUDIT, new byte[0], null, 1).get(0);
      byte[] edited = first.value().clone();
      edited[edited.length - 1] ^= 1;
      store.commit(new Changes().put(Table.AUDIT, first.key(), edited));
    }
    new BackupManifest(original.createTime(), original.census(),
        BackupManifest.hashFiles(db)).write(backup);

    Path fresh = dir.resolve("fresh");
    BackupRestorer.Report report = BackupRestorer.restore(backup, fresh, opener());
    assertFalse(report.ok());
    assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("audit chain broken")),
        report.problems().toString());
    assertFalse(Files.exists(fresh), "a vault that fails verification is not left behind");
  }
}
