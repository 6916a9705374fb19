package dev.coffer.server;

import dev.coffer.server.config.ConfigException;
import dev.coffer.server.config.PrivateFiles;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.directory.BootstrapService;
import dev.coffer.server.service.directory.Tokens;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Hands the bootstrap admin's token over on the first start of an empty vault: to a file
 * by default ({@code <data-dir>/bootstrap-token}, or {@code --bootstrap-token-file}), or to
 * stdout only when the operator asked for it ({@code --dev} or
 * {@code --bootstrap-token-stdout}).
 *
 * <p>Contract: the file is created (mode 0600, never over an existing file) <em>before</em>
 * the vault is bootstrapped, so a token is never issued that could not be handed over; if
 * the bootstrap fails, the empty file is removed. On a vault that is already bootstrapped
 * nothing is created, and an existing token file is only pointed out.
 *
 * <p>Security: the value goes to the file or to stdout once, and nowhere else; every line
 * printed about it names the token id ({@code tok_…}) so it can be revoked later, never the
 * value. The file's bytes are written and synced from a buffer that is wiped afterwards.
 */
final class BootstrapTokenHandover {

  /** The token file's name in the data directory when no other file is given. */
  static final String DEFAULT_FILE_NAME = ServerConfig.DEFAULT_BOOTSTRAP_TOKEN_FILE_NAME;

  private final Path file; // null: stdout
  private final PrintStream out;

  private BootstrapTokenHandover(Path file, PrintStream out) {
    this.file = file;
    this.out = out;
  }

  /** To {@code file}, mode 0600. */
  static BootstrapTokenHandover toFile(Path file, PrintStream out) {
    return new BootstrapTokenHandover(file, out);
  }

  /** To stdout ({@code --dev} or {@code --bootstrap-token-stdout}). */
  static BootstrapTokenHandover toStdout(PrintStream out) {
    return new BootstrapTokenHandover(null, out);
  }

  /** The file the token goes to; empty for stdout. */
  Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * Bootstraps the vault if it is empty and hands the token over.
   *
   * @throws ConfigException if the vault is empty and the token file exists already or
   *     cannot be created (nothing was bootstrapped)
   */
  void bootstrapIfEmpty(BootstrapService bootstrap) {
    if (!bootstrap.needed()) {
      if (file != null && Files.exists(file)) {
        out.println("note: the bootstrap token file " + file + " still exists; once its token is "
            + "stored elsewhere, delete it");
      }
      return;
    }
    if (file != null) {
      reserve();
    }
    Optional<Tokens.Issued> issued;
    try {
      issued = bootstrap.bootstrapIfEmpty();
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    if (issued.isEmpty()) { // another process bootstrapped it meanwhile
      release();
      return;
    }
    try (SecretValue value = issued.get().value()) {
      String tokenId = issued.get().token().tokenId();
      if (file == null) {
        out.println("bootstrap: created tenant 'default' and admin 'admin'. Admin token "
            + tokenId + " (shown once, valid 90 days; store it now; revoke it with: coffer "
            + "token revoke " + tokenId + "):");
        out.println(value.reveal());
      } else {
        write(value);
        out.println("bootstrap: created tenant 'default' and admin 'admin'; its token "
            + tokenId + " (valid 90 days) was written to " + file + " (mode 0600). Store it, "
            + "then delete the file; revoke it with: coffer token revoke " + tokenId);
      }
    }
  }

  /** Creates the empty file, 0600, refusing an existing one. */
  private void reserve() {
    try {
      PrivateFiles.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigException("the bootstrap token file " + file + " already exists and this "
          + "vault is empty; Coffer never overwrites it: move it away, or pass another "
          + "--bootstrap-token-file");
    } catch (IOException e) {
      throw new ConfigException("cannot create the bootstrap token file " + file + " ("
          + e.getClass().getSimpleName() + "); pass --bootstrap-token-file in a directory "
          + "the server can write");
    }
  }

  private void release() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // an empty file is harmless; the next start says it exists
    }
  }

  private void write(SecretValue value) {
    byte[] bytes = (value.reveal() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the bootstrap token file " + file + " ("
          + e.getClass().getSimpleName() + ")", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
