package dev.coffer.server.domain;

/**
 * A secret as storage keeps it: metadata, the keyed verifier, for vaulted secrets the
 * sealed value, and the keyed lookup key that finds it from its value alone (leak
 * reports). Nothing here is a value in the clear.
 *
 * @param sealed null unless the secret is vaulted
 * @param leakLookupKey keyed PRF of the value, or empty (stored credentials, signing keys,
 *     secrets created before leak reports existed)
 */
public record StoredSecret(SecretMetadata metadata, byte[] verifier, SealedSecret sealed,
    byte[] leakLookupKey) {

  public StoredSecret {
    leakLookupKey = leakLookupKey == null ? new byte[0] : leakLookupKey;
  }

  /** A secret without a leak lookup key. */
  public StoredSecret(SecretMetadata metadata, byte[] verifier, SealedSecret sealed) {
    this(metadata, verifier, sealed, new byte[0]);
  }

  /** The same secret with changed metadata (revoked, rotated, quarantined...). */
  public StoredSecret withMetadata(SecretMetadata changed) {
    return new StoredSecret(changed, verifier, sealed, leakLookupKey);
  }

  /** The same secret with another sealed value (its wrapped data key read from DATA_KEYS). */
  public StoredSecret withSealed(SealedSecret changed) {
    return new StoredSecret(metadata, verifier, changed, leakLookupKey);
  }

  @Override
  public String toString() {
    return "StoredSecret[" + metadata.secretId() + "]";
  }
}
