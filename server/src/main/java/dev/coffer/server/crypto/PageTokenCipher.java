package dev.coffer.server.crypto;

import java.util.Optional;

/**
 * Authenticated encryption of listing cursors (page tokens), under the vault's
 * {@code page-token} keyset. The associated data binds a token to the listing that issued
 * it (method, caller, filters): a token opens only with the same binding, and its
 * ciphertext reveals nothing of the cursor (the last key a page read, which names
 * objects). A cursor is a position, not a secret value; the keyset is what keeps clients
 * from reading or forging positions.
 */
public interface PageTokenCipher {

  /** Encrypts {@code cursor} bound to {@code binding}; randomized, so never the same twice. */
  byte[] seal(byte[] cursor, byte[] binding);

  /**
   * The cursor {@code token} holds, or empty when it was not sealed by this keyset with
   * exactly {@code binding} (another listing, another caller, tampered, truncated).
   */
  Optional<byte[]> open(byte[] token, byte[] binding);
}
