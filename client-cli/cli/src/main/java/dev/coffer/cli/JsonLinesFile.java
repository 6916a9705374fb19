package dev.coffer.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A JSON-lines file the CLI creates itself, new and with POSIX mode 0600 from the moment it
 * exists ({@code CREATE_NEW} plus a permissions attribute, as {@link OutFile} does): an existing
 * file or symlink is never followed or overwritten. {@link #commit()} flushes and syncs it; closing
 * an uncommitted file removes it, so a failed export leaves no partial file that looks complete.
 */
final class JsonLinesFile implements AutoCloseable {

  private final Path path;
  private final FileChannel channel;
  private final Writer writer;
  private boolean committed;

  private JsonLinesFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    this.writer =
        new BufferedWriter(
            new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
            1 << 16);
  }

  /** A usage failure (exit 1) if {@code file} exists; checked before any call. */
  static void refuseExisting(Path file) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw OutFile.exists(file, "--out");
    }
  }

  /** Creates {@code file}; a usage failure if it exists or cannot be created with mode 0600. */
  static JsonLinesFile create(Path file) {
    return new JsonLinesFile(file, OutFile.claim(file, "--out"));
  }


  /** Appends one line; {@code json} must hold no line break. */
  void writeLine(String json) {
    try {
      writer.write(json);
      writer.write('\n');
    } catch (IOException e) {
      throw writeFailure(e);
    }
  }

  /** Flushes and syncs; the file is kept on close. */
  void commit() {
    try {
      writer.flush();
      channel.force(true);
      committed = true;
    } catch (IOException e) {
      throw writeFailure(e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Reported below if it matters: an uncommitted file is removed anyway.
    }
    if (!committed) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // Best effort.
      }
    }
  }

  private CliFailure writeFailure(IOException e) {
    return new CliFailure(
        ExitCodes.OTHER, "cannot write " + path + " (" + e.getClass().getSimpleName() + ")");
  }
}
