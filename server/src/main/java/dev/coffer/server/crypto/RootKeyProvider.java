package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;

/**
 * The root of the key hierarchy: an {@link Aead} that encrypts the vault's keysets (KEK,
 * verifier MAC, lookup PRF) at rest. Implementations keep the root key out of the vault's
 * storage (a local key file for development, a cloud KMS in production), so a stolen data
 * directory or backup alone decrypts nothing.
 */
public interface RootKeyProvider {

  /** The root AEAD; thread-safe. */
  Aead rootAead();

  /** Where the root key lives, safe to log: never key material. */
  String description();
}
