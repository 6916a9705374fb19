package dev.coffer.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes a shown-once value to a file the CLI creates itself, with POSIX mode 0600 from the
 * moment it exists ({@code CREATE_NEW} plus a permissions attribute, so there is no window with
 * wider permissions and an existing file or symlink is never followed or overwritten).
 *
 * <p>Contract of {@link #createInto}: the file is claimed <em>before</em> the server is called, so
 * an existing file means nothing is created on the server; if the call fails the empty file is
 * removed. Security: the value goes only into the file, never into a message.
 */
final class OutFile {

  private OutFile() {}

  /** A usage failure if {@code file} exists (checked before any prompt or call). */
  static void refuseExisting(Path file) {
    if (file != null && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw exists(file);
    }
  }

  /**
   * Claims {@code file} (when not null), runs {@code create}, and writes {@code valueOf} of its
   * result into the file; an empty value leaves no file behind.
   */
  static <R> R createInto(
      Path file, Supplier<R> create, Function<R, String> valueOf, Function<R, String> nameOf) {
    if (file == null) {
      return create.get();
    }
    FileChannel channel = claim(file);
    boolean keep = false;
    try (channel) {
      R result = create.get();
      String value = valueOf.apply(result);
      if (!value.isEmpty()) {
        try {
          channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
          channel.force(true);
          keep = true;
        } catch (IOException e) {
          throw new CliFailure(
              ExitCodes.OTHER,
              nameOf.apply(result) + " was created but its value could not be written to "
                  + file + " (" + e.getClass().getSimpleName() + "); revoke it");
        }
      }
      return result;
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.OTHER, "could not close " + file);
    } finally {
      if (!keep) {
        deleteQuietly(file);
      }
    }
  }

  private static FileChannel claim(Path file) {
    return claim(file, "--out-file");
  }

  /**
   * Creates {@code file} new with mode 0600 at creation time; a usage failure naming
   * {@code flag} if it exists or cannot be created that way.
   */
  static FileChannel claim(Path file, String flag) {
    try {
      return FileChannel.open(
          file,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw exists(file, flag);
    } catch (UnsupportedOperationException e) {
      throw new CliFailure(
          ExitCodes.USAGE, "cannot create " + file + " with mode 0600 on this file system");
    } catch (IOException e) {
      throw new CliFailure(
          ExitCodes.USAGE,
          "cannot create " + flag + " " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static CliFailure exists(Path file) {
    return exists(file, "--out-file");
  }

  static CliFailure exists(Path file, String flag) {
    return new CliFailure(
        ExitCodes.USAGE,
        flag + " " + file + " already exists; refusing to overwrite it (nothing was created)");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Best effort: the file is empty.
    }
  }
}
