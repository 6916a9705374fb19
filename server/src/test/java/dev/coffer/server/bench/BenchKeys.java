package dev.coffer.server.bench;

import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.KeysetStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real {@link Keyring} (fresh Tink keysets under a development root key in a temp dir, held
 * in memory) for the benchmarks, and temp-dir housekeeping. Test code only.
 */
final class BenchKeys {

  private BenchKeys() {}

  static Keyring keyring(Path dir) {
    return Keyring.open(DevRootKeyFile.loadOrCreate(dir.resolve("root.json")), new InMemory());
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keysets (already encrypted by the root key) in a map. */
  private static final class InMemory implements KeysetStore {
    private final Map<String, byte[]> keysets = new HashMap<>();

    @Override
    public synchronized Optional<byte[]> read(String name) {
      return Optional.ofNullable(keysets.get(name));
    }

    @Override
    public synchronized void writeAll(Map<String, byte[]> encryptedKeysets) {
      keysets.putAll(encryptedKeysets);
    }
  }
}
