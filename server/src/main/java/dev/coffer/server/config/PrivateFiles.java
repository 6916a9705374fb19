package dev.coffer.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides whether a file or directory is private to its owner (no
 * permission bit for group or others) and that creates private ones (directories 0700,
 * files 0600, set at creation so no umask can widen them and no moment exists when they
 * are wider). Used for the data directory, the database and backup directories, the
 * bootstrap token file, root key files and the KMS credentials file.
 *
 * <p>Security: checks look at the mode bits only, never at the content. On a file system
 * without POSIX permissions nothing can be checked or set; checks then pass and creation
 * uses the platform default (documented in docs/operations-security.md).
 */
public final class PrivateFiles {

  /** rwx------ */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString(
      "rwx------");
  /** rw------- */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString(
      "rw-------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /**
   * Why {@code path} is not private: its mode (e.g. {@code rwxr-x---}) when group or others
   * hold any permission on it; empty when it is private or the file system has no POSIX
   * permissions. Follows a symbolic link to what it names.
   *
   * @throws IOException if the attributes cannot be read (missing, access denied)
   */
  public static Optional<String> exposedMode(Path path) throws IOException {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException notPosix) {
      return Optional.empty();
    }
    return mode.stream().anyMatch(GROUP_OR_OTHERS::contains)
        ? Optional.of(PosixFilePermissions.toString(mode)) : Optional.empty();
  }

  /** Creates {@code dir} and its missing parents; the ones created here are 0700. */
  public static Path createDirectories(Path dir) throws IOException {
    if (!posix(dir)) {
      return Files.createDirectories(dir);
    }
    return Files.createDirectories(dir, attribute(DIRECTORY));
  }

  /** Creates the directory {@code dir} (0700); fails if it exists. */
  public static Path createDirectory(Path dir) throws IOException {
    return posix(dir) ? Files.createDirectory(dir, attribute(DIRECTORY))
        : Files.createDirectory(dir);
  }

  /** Creates the empty file {@code file} (0600); fails if anything exists there. */
  public static Path createFile(Path file) throws IOException {
    return posix(file) ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
  }

  /**
   * Removes group and other permissions from {@code path} and, for a directory, from
   * everything under it (RocksDB and its checkpoints create their own files with the
   * process umask). Symbolic links are not followed; entries removed meanwhile are
   * skipped. Returns how many entries changed.
   */
  public static int restrictTree(Path path) throws IOException {
    if (!posix(path)) {
      return 0;
    }
    int changed = 0;
    try (var walk = Files.walk(path)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        try {
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p,
              LinkOption.NOFOLLOW_LINKS);
          if (mode.removeAll(GROUP_OR_OTHERS)) {
            Files.setPosixFilePermissions(p, mode);
            changed++;
          }
        } catch (NoSuchFileException gone) {
          // removed meanwhile (RocksDB deletes obsolete files): nothing left to protect
        }
      }
    }
    return changed;
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }
}
