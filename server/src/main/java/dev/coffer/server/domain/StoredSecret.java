package dev.coffer.server.domain;

/**
 * A secret as storage keeps it: metadata, the keyed verifier, and for vaulted secrets the
 * sealed value. Nothing here is a value in the clear.
 *
 * @param sealed null unless the secret is vaulted
 */
public record StoredSecret(SecretMetadata metadata, byte[] verifier, SealedSecret sealed) {

  @Override
  public String toString() {
    return "StoredSecret[" + metadata.secretId() + "]";
  }
}
