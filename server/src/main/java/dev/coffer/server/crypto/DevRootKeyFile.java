package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.coffer.server.config.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * A development root key: a cleartext Tink AES-256-GCM keyset in Tink JSON in a local file
 * readable by its owner only (mode 0600). Anyone who can read the file and the data
 * directory can decrypt the vault, so production should use a KMS provider instead.
 * A new file is written in full to a private temporary file, synced, then linked into
 * place, so it is never seen half-written and never replaces an existing key. Loading
 * refuses a file that group or others can access.
 */
public final class DevRootKeyFile implements RootKeyProvider {
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path file;
  private final Aead aead;
  private final boolean created;

  private DevRootKeyFile(Path file, Aead aead, boolean created) {
    this.file = file;
    this.aead = aead;
    this.created = created;
  }

  /**
   * Loads the key file, or creates it (and missing parent directories, mode 0700) with a
   * fresh key if absent. Check {@link #created()} to warn the operator loudly.
   *
   * @throws KeyringException if the file cannot be created or loaded
   */
  public static DevRootKeyFile loadOrCreate(Path file) {
    Path target = file.toAbsolutePath();
    if (Files.exists(target)) {
      return load(target);
    }
    try {
      createNew(target);
    } catch (FileAlreadyExistsException raced) {
      return load(target);
    } catch (IOException | GeneralSecurityException | UnsupportedOperationException e) {
      throw new KeyringException("cannot create root key file " + target + ": " + describe(e), e);
    }
    return new DevRootKeyFile(target, load(target).aead, true);
  }

  /**
   * Loads an existing key file.
   *
   * @throws KeyringException if it is missing, unreadable, accessible by group or others,
   *     or not a Tink JSON AEAD keyset
   */
  public static DevRootKeyFile load(Path file) {
    Path target = file.toAbsolutePath();
    checkOwnerOnly(target);
    byte[] content = readBounded(target);
    return new DevRootKeyFile(target, RootKeysetJson.parse(content, "root key file " + target),
        false);
  }

  /** True when this call created the key file (a new, empty vault's first start). */
  public boolean created() {
    return created;
  }

  public Path path() {
    return file;
  }

  @Override
  public Aead rootAead() {
    return aead;
  }

  @Override
  public String description() {
    return "development root key file " + file;
  }

  @Override
  public String toString() {
    return "DevRootKeyFile[" + file + "]";
  }

  private static void createNew(Path target) throws IOException, GeneralSecurityException {
    Path dir = target.getParent();
    Files.createDirectories(dir, OWNER_ONLY_DIR);
    KeysetHandle handle = KeysetHandle.generateNew(
        PredefinedAeadParameters.AES256_GCM, TinkRuntime.configuration());
    byte[] json = TinkJsonProtoKeysetFormat
        .serializeKeyset(handle, TinkRuntime.configuration(), InsecureSecretKeyAccess.get())
        .getBytes(StandardCharsets.UTF_8);
    Path tmp = Files.createTempFile(dir, ".coffer-root-key-", ".tmp",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    try {
      writeAndSync(tmp, json);
      Files.createLink(target, tmp); // atomic; fails if the target exists
      syncDirectory(dir);
    } finally {
      Arrays.fill(json, (byte) 0);
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeAndSync(Path path, byte[] content) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void checkOwnerOnly(Path target) {
    Optional<String> exposed;
    try {
      exposed = PrivateFiles.exposedMode(target);
    } catch (IOException e) {
      throw unreadable(target, e);
    }
    exposed.ifPresent(mode -> {
      throw new KeyringException("root key file " + target + " is accessible by group or others"
          + " (mode " + mode + "); run: chmod 600 " + target);
    });
  }

  private static byte[] readBounded(Path target) {
    try {
      if (Files.size(target) > RootKeysetJson.MAX_BYTES) {
        throw new KeyringException("root key file " + target + " is too large to be a keyset");
      }
      return Files.readAllBytes(target);
    } catch (IOException e) {
      throw unreadable(target, e);
    }
  }

  private static KeyringException unreadable(Path target, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new KeyringException("root key file not found: " + target, e);
    }
    return new KeyringException("cannot read root key file " + target + ": " + describe(e), e);
  }

  private static String describe(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof UnsupportedOperationException) {
      return "the file system does not support POSIX permissions";
    }
    return e.getClass().getSimpleName();
  }
}
