package dev.coffer.server;

import dev.coffer.server.config.ConfigException;
import dev.coffer.server.config.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's data directory, made private before anything is written into it.
 *
 * <p>Contract: a missing data directory (and its missing parents) is created mode 0700, and
 * so is its database directory. Outside {@code --dev}, an existing data directory that group
 * or others may read, write or enter is refused (one line naming the mode and the
 * {@code chmod} that fixes it), before any key or data is opened. {@link #restrictDatabase}
 * then takes group and other permissions off whatever RocksDB created with the process
 * umask.
 *
 * <p>Security: the 0700 directory is what protects the files in it (RocksDB creates new
 * files as it goes, with the umask); the chmod of the files is defence in depth, and the
 * shipped systemd unit sets {@code UMask=0077} so new files are 0600 too.
 */
final class DataDirectory {

  private DataDirectory() {}

  /**
   * Checks an existing {@code dataDir} before anything is opened or created in it.
   *
   * @throws ConfigException if it is not a directory, or (outside dev mode) not private
   */
  static void check(Path dataDir, boolean dev) {
    if (!Files.exists(dataDir)) {
      return;
    }
    if (!Files.isDirectory(dataDir)) {
      throw new ConfigException("--data-dir " + dataDir + " is not a directory");
    }
    if (!dev) {
      requirePrivate(dataDir);
    }
  }

  /**
   * Creates the database directory and its missing parents (the data directory), 0700.
   *
   * @throws ConfigException if they cannot be created
   */
  static void create(Path dbDir) {
    try {
      PrivateFiles.createDirectories(dbDir);
    } catch (IOException e) {
      throw new ConfigException("cannot create the data directory " + dbDir + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** Refuses a data directory group or others can access. */
  static void requirePrivate(Path dataDir) {
    Optional<String> exposed;
    try {
      exposed = PrivateFiles.exposedMode(dataDir);
    } catch (IOException e) {
      throw new ConfigException("cannot read the permissions of --data-dir " + dataDir + " ("
          + e.getClass().getSimpleName() + ")");
    }
    exposed.ifPresent(mode -> {
      throw new ConfigException("--data-dir " + dataDir + " is accessible by group or others "
          + "(mode " + mode + "); run: chmod 700 " + dataDir);
    });
  }

  /**
   * Takes group and other permissions off the database directory's files; returns how many
   * changed.
   *
   * @throws IllegalStateException if they cannot be changed
   */
  static int restrictDatabase(Path dbDir) {
    try {
      return PrivateFiles.restrictTree(dbDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot restrict the permissions of " + dbDir + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }
}
