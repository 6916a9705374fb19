package dev.coffer.server.backup;

import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.config.PrivateFiles;
import dev.coffer.server.crypto.AuditSignature;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Restores a backup into a new data directory, offline, and proves it before anyone serves
 * from it: every file must match the manifest's size and SHA-256; then the restored vault
 * is opened with the root key and checked three ways: the audit chain and its signed
 * checkpoints verify, every vaulted value decrypts, and a fresh {@link VaultCensus} equals
 * the one recorded at backup time. Any failure removes the new directory's contents, so a
 * half-restored vault is never left to start on. Never writes into the backup. The restored
 * directories are created 0700 and its files made owner-only, as the server wants them.
 * The caller opens the restored vault ({@link VaultOpener}), so this package never depends
 * on the composition root that builds the vault.
 */
public final class BackupRestorer {

  /** The outcome: ok only if every check passed; {@code problems} says what failed. */
  public record Report(boolean ok, BackupManifest manifest, VaultCensus restored,
      long eventsVerified, long checkpointsVerified, long valuesDecrypted, List<String> problems) {}

  /** Why a restore could not even begin (bad arguments, unreadable backup). */
  public static final class RestoreException extends Exception {
    public RestoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Opens a restored database as the server would, so the checks see what a server started
   * on it would see. Supplied by the composition root ({@code RestoreCommand.vaultOpener}).
   */
  @FunctionalInterface
  public interface VaultOpener {
    /** Opens the vault whose database is {@code dbDir}; throws if it does not open. */
    OpenedVault open(Path dbDir);
  }

  /**
   * A restored vault opened for verification: its store and keyring, used only to check the
   * audit chain and open each vaulted value (which is wiped unread); closing it closes the
   * vault. Security: the keyring never leaves the restorer, and no value is printed.
   */
  public record OpenedVault(KvStore store, Keyring keyring, Runnable onClose)
      implements AutoCloseable {
    @Override
    public void close() {
      onClose.run();
    }
  }

  private static final int MAX_LISTED = 10;

  private BackupRestorer() {}

  /**
   * Restores {@code backupDir} into {@code dataDir} (its database goes to {@code db/}),
   * which must not exist or be empty.
   *
   * @throws RestoreException if the target is not empty or the backup is unusable
   *     (missing manifest, a file missing, truncated or altered); nothing is left behind
   */
  public static Report restore(Path backupDir, Path dataDir, VaultOpener opener)
      throws RestoreException {
    BackupManifest manifest;
    try {
      manifest = BackupManifest.read(backupDir);
    } catch (IOException e) {
      throw new RestoreException(e.getMessage(), e);
    }
    requireEmpty(dataDir);
    Path source = backupDir.resolve(BackupManifest.DB_DIR);
    Path target = dataDir.resolve(BackupManifest.DB_DIR);
    boolean created = !Files.exists(dataDir);
    try {
      PrivateFiles.createDirectories(target);
      for (BackupManifest.FileEntry f : manifest.files()) {
        Path from = source.resolve(f.name());
        if (!Files.isRegularFile(from) || Files.size(from) != f.size()
            || !BackupManifest.sha256(from).equals(f.sha256())) {
          throw new RestoreException("backup file db/" + f.name()
              + " is missing or does not match the manifest (damaged or incomplete backup)",
              null);
        }
        Files.copy(from, target.resolve(f.name()));
      }
      PrivateFiles.restrictTree(target);
    } catch (IOException | RestoreException e) {
      clean(dataDir, created);
      throw e instanceof RestoreException re ? re
          : new RestoreException("cannot copy the backup: " + e.getMessage(), e);
    }
    Report report;
    try {
      report = verify(manifest, target, opener);
    } catch (RuntimeException e) {
      clean(dataDir, created);
      throw new RestoreException("the restored vault does not open: " + e.getMessage(), e);
    }
    if (!report.ok()) {
      clean(dataDir, created);
      return report;
    }
    try {
      PrivateFiles.restrictTree(target); // opening the vault to verify it wrote a new log
    } catch (IOException e) {
      clean(dataDir, created);
      throw new RestoreException("cannot make the restored files owner-only: " + e, e);
    }
    return report;
  }

  private static Report verify(BackupManifest manifest, Path db, VaultOpener opener) {
    List<String> problems = new ArrayList<>();
    try (OpenedVault vault = opener.open(db)) {
      AuditSignature signature = vault.keyring().auditSignature();
      AuditChainVerifier.Result chain = new AuditChainVerifier(vault.store(),
          CheckpointSigner.of(signature::sign, signature::verify)).verify();
      if (!chain.intact()) {
        problems.add("audit chain broken: " + chain.firstBreak().orElse("?"));
      }
      long decrypted = decryptAll(vault, problems);
      VaultCensus restored = VaultCensus.of(vault.store());
      if (!restored.equals(manifest.census())) {
        problems.add("counts differ from the manifest: backup " + manifest.census()
            + ", restored " + restored);
      }
      return new Report(problems.isEmpty(), manifest, restored, chain.eventsChecked(),
          chain.checkpointsChecked(), decrypted, List.copyOf(problems));
    }
  }

  /** Opens and closes every vaulted value; failures are listed by secret id. */
  @SuppressWarnings("try") // the value is opened to prove it decrypts, then wiped unread
  private static long decryptAll(OpenedVault vault, List<String> problems) {
    SecretRepository secrets = new SecretRepository(vault.store());
    long[] opened = new long[2];
    VaultCensus.scan(vault.store(), Table.SECRETS, kv -> {
      String[] ids = SecretRepository.parseRecordKey(kv.key());
      Optional<StoredSecret> stored;
      try {
        stored = secrets.get(ids[0], ids[1]);
      } catch (CofferException e) {
        note(problems, opened, "secret " + ids[1] + " (tenant " + ids[0] + ") is unreadable");
        return;
      }
      if (stored.isEmpty() || stored.get().sealed() == null) {
        return;
      }
      var m = stored.get().metadata();
      try (SecretValue v = vault.keyring().envelopeCipher().open(stored.get().sealed(),
          SecretBinding.of(m))) {
        opened[0]++;
      } catch (CofferException e) {
        note(problems, opened, "secret " + m.secretId() + " (tenant " + m.tenantId()
            + ") does not decrypt: " + e.reason());
      }
    });
    if (opened[1] > MAX_LISTED) {
      problems.add((opened[1] - MAX_LISTED) + " more secrets failed the same way");
    }
    return opened[0];
  }

  private static void note(List<String> problems, long[] counts, String problem) {
    counts[1]++;
    if (counts[1] <= MAX_LISTED) {
      problems.add(problem);
    }
  }

  private static void requireEmpty(Path dataDir) throws RestoreException {
    if (!Files.exists(dataDir)) {
      return;
    }
    if (!Files.isDirectory(dataDir)) {
      throw new RestoreException("--data-dir " + dataDir + " is not a directory", null);
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      if (entries.findAny().isPresent()) {
        throw new RestoreException("--data-dir " + dataDir + " is not empty; restore into a"
            + " new directory (a restore never overwrites a vault)", null);
      }
    } catch (IOException e) {
      throw new RestoreException("cannot read --data-dir " + dataDir, e);
    }
  }

  private static void clean(Path dataDir, boolean created) {
    if (created) {
      BackupWriter.deleteQuietly(dataDir);
      return;
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      entries.forEach(BackupWriter::deleteQuietly);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
