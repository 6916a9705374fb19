package dev.coffer.server.domain;

/**
 * An envelope-encrypted value: the value's own data key wrapped by the key-encryption
 * keyset, and the value encrypted under that data key. Both halves are ciphertext and
 * safe to store; they open only with the same associated data they were sealed with.
 */
public record SealedSecret(byte[] wrappedDataKey, byte[] ciphertext) {
  @Override
  public String toString() {
    return "SealedSecret[" + wrappedDataKey.length + "+" + ciphertext.length + " bytes]";
  }
}
