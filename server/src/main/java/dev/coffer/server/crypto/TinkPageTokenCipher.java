package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * {@link PageTokenCipher} on a Tink AES-256-GCM {@link Aead} keyset: random 96-bit nonces,
 * 128-bit tags, and Tink's key id prefix so a rotated keyset still opens tokens sealed by
 * its older keys. Any failure to open (wrong binding, wrong key, altered or cut bytes) is
 * the same empty answer. Thread-safe.
 */
public final class TinkPageTokenCipher implements PageTokenCipher {

  private final Aead aead;

  TinkPageTokenCipher(Aead aead) {
    this.aead = aead;
  }

  @Override
  public byte[] seal(byte[] cursor, byte[] binding) {
    try {
      return aead.encrypt(cursor, binding);
    } catch (GeneralSecurityException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "page token encryption failed", e);
    }
  }

  @Override
  public Optional<byte[]> open(byte[] token, byte[] binding) {
    try {
      return Optional.of(aead.decrypt(token, binding));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "TinkPageTokenCipher[AES-256-GCM]";
  }
}
