package dev.coffer.server.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Shared fixtures: real root key files and keyrings. */
final class TestKeys {
  private TestKeys() {}

  static DevRootKeyFile rootKey(Path dir, String name) {
    return DevRootKeyFile.loadOrCreate(dir.resolve(name + ".json"));
  }

  static Keyring keyring(Path dir, String rootName) {
    return Keyring.open(rootKey(dir, rootName), new MapKeysetStore());
  }

  static byte[] ad(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
