package dev.coffer.server.backup;

import dev.coffer.server.config.PrivateFiles;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.RocksDatabase;
import dev.coffer.server.store.RocksKvStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Takes online backups under one configured directory: a RocksDB checkpoint of the live
 * database (consistent, taken while writes go on), then a {@link BackupManifest} counted
 * from that copy opened read-only and listing every file's SHA-256. A backup holds only
 * what the database holds: ciphertext, wrapped data keys, verifiers and the audit trail;
 * the root key is never in it, so a stolen backup decrypts nothing by itself. A backup
 * whose manifest is missing did not finish and is not restorable. Names are checked so a
 * caller cannot write outside the directory. Directories are created 0700 and every file of
 * a finished backup is owner-only (0600 or stricter): a backup holds the audit trail and
 * verifiers, which are no one else's business.
 */
public final class BackupWriter {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final DateTimeFormatter DEFAULT_NAME =
      DateTimeFormatter.ofPattern("'coffer-backup-'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final RocksDatabase store;
  private final Path root;
  private final Clock clock;

  public BackupWriter(RocksDatabase store, Path root, Clock clock) {
    this.store = store;
    this.root = root.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** A backup written: its directory and manifest. */
  public record Written(Path path, BackupManifest manifest) {}

  public Path root() {
    return root;
  }

  /** The backup directory a name maps to; empty name: a timestamped default. */
  public Path resolve(String name) {
    String chosen = name == null || name.isEmpty() ? DEFAULT_NAME.format(clock.instant()) : name;
    if (!NAME.matcher(chosen).matches() || chosen.equals(".") || chosen.equals("..")) {
      throw CofferException.invalid("name", "a backup name is 1-100 letters, digits, '.', '_'"
          + " or '-' (a directory under the backup dir)");
    }
    return root.resolve(chosen);
  }

  /**
   * Writes a backup into {@link #resolve(String) resolve(name)}.
   *
   * @throws CofferException INVALID_FIELD for a bad name, ALREADY_EXISTS if the directory
   *     exists, STORAGE_FAILURE if the copy or manifest cannot be written (a partial
   *     directory is removed)
   */
  public Written create(String name) {
    Path dir = resolve(name);
    if (Files.exists(dir)) {
      throw new CofferException(Reason.ALREADY_EXISTS,
          "backup " + dir.getFileName() + " already exists under the backup dir");
    }
    try {
      PrivateFiles.createDirectories(root);
      PrivateFiles.createDirectory(dir);
    } catch (IOException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "cannot create the backup directory", e);
    }
    try {
      Path db = dir.resolve(BackupManifest.DB_DIR);
      store.checkpoint(db);
      // Hash first: opening read-only may add a log file, which is not part of the copy.
      var files = BackupManifest.hashFiles(db);
      VaultCensus census;
      try (RocksKvStore copy = RocksKvStore.openReadOnly(db)) {
        census = VaultCensus.of(copy);
      }
      BackupManifest manifest = new BackupManifest(clock.instant(), census, files);
      manifest.write(dir);
      PrivateFiles.restrictTree(dir); // the checkpoint's files come with the process umask
      return new Written(dir, manifest);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(dir);
      throw e instanceof CofferException ce ? ce
          : new CofferException(Reason.STORAGE_FAILURE, "the backup could not be written", e);
    }
  }

  static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
