package dev.coffer.server.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Shared fixtures: real root key files and keyrings. */
final class TestKeys {
  private TestKeys() {}

  static DevRootKeyFile rootKey(Path dir, String name) {
    return DevRootKeyFile.loadOrCreate(dir.resolve(name + ".json"));
  }

  static Keyring keyring(Path dir, String rootName) {
    return Keyring.open(rootKey(dir, rootName), new MapKeysetStore());
  }

  /** A new root keyset in the one cleartext format: Tink JSON, AES-256-GCM. */
  static String newKeysetJson() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(
          PredefinedAeadParameters.AES256_GCM, TinkRuntime.configuration()),
          TinkRuntime.configuration(), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] ad(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
