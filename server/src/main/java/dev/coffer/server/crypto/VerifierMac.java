package dev.coffer.server.crypto;

import dev.coffer.server.domain.SecretValue;

/**
 * Keyed verifiers for values the vault must check but never keep (non-vaulted secrets).
 * Backed by a Tink {@code Mac} whose key lives in the encrypted keyset, so a stolen
 * database alone cannot test guesses offline. The context binds a verifier to its
 * record (tenant, secret id, version).
 */
public interface VerifierMac {

  byte[] compute(SecretValue value, byte[] context);

  /** Constant-time check; false for any mismatch or malformed verifier. */
  boolean verify(byte[] verifier, SecretValue candidate, byte[] context);
}
