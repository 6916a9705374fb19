package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The one format of a root key handed to Coffer in the clear (a key file, an environment
 * variable, a file descriptor): a Tink AEAD keyset in Tink JSON, as {@code tinkey
 * create-keyset --key-template AES256_GCM --out-format json} writes it. Errors name the
 * source given by the caller, never the content: a parser message may quote key material,
 * so none is attached.
 */
final class RootKeysetJson {
  /** Far above any AEAD keyset; stops a wrong file or a stream from being read forever. */
  static final int MAX_BYTES = 64 * 1024;

  private RootKeysetJson() {}

  /**
   * The keyset's primary AEAD. Wipes {@code content}.
   *
   * @param source how the operator configured it, e.g. "root key file /etc/coffer/key.json"
   * @throws KeyringException if it is empty, too large or not a Tink JSON AEAD keyset
   */
  static Aead parse(byte[] content, String source) {
    try {
      if (content.length > MAX_BYTES) {
        throw new KeyringException(source + " is too large to be a keyset");
      }
      String json = new String(content, StandardCharsets.UTF_8); // Tink parses strings only
      if (json.isBlank()) {
        throw new KeyringException(source + " is empty");
      }
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(
          json, TinkRuntime.configuration(), InsecureSecretKeyAccess.get());
      return handle.getPrimitive(TinkRuntime.configuration(), Aead.class);
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof KeyringException) {
        throw (KeyringException) e;
      }
      throw new KeyringException(source + " is not a valid Tink JSON AEAD keyset");
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /** Reads at most {@link #MAX_BYTES} + 1 bytes, enough for {@link #parse} to refuse more. */
  static byte[] readBounded(InputStream in) throws IOException {
    return in.readNBytes(MAX_BYTES + 1);
  }
}
