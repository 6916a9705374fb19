package dev.coffer.server.crypto;

import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import java.util.OptionalInt;

/**
 * Envelope encryption of vaulted values, in the manner of Tink's {@code Aead}: every
 * value gets its own fresh AES-256-GCM data key, and the data key is wrapped by the
 * key-encryption keyset. The associated data (tenant, secret id, version) is bound to
 * both layers, so a sealed value copied onto another record fails to open.
 */
public interface EnvelopeCipher {

  /** Seals {@code plaintext}; does not close it. */
  SealedSecret seal(SecretValue plaintext, byte[] associatedData);

  /**
   * Opens a sealed value.
   *
   * @throws dev.coffer.server.domain.CofferException with reason CIPHERTEXT_CORRUPT when
   *     either layer fails to authenticate (tampering, wrong associated data, unknown key)
   */
  SecretValue open(SealedSecret sealed, byte[] associatedData);

  /**
   * Unwraps a data key and wraps it again under the current primary KEK key, with the
   * same associated data; the value's ciphertext is untouched and the data key never
   * leaves the cipher.
   *
   * @throws dev.coffer.server.domain.CofferException CIPHERTEXT_CORRUPT if it cannot be
   *     unwrapped
   */
  byte[] rewrap(byte[] wrappedDataKey, byte[] associatedData);

  /** Id of the KEK key that wrapped {@code wrappedDataKey}; empty if unreadable. */
  OptionalInt wrappingKeyId(byte[] wrappedDataKey);

  /** Id of the KEK key that wraps new data keys. */
  int primaryKeyId();
}
