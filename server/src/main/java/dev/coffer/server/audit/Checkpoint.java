package dev.coffer.server.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A signed statement "the chain hash after event {@code sequence} is {@code hash}, and the
 * next checkpoint follows within {@code interval} events". The signature covers sequence,
 * hash and interval under the context {@value #CONTEXT_TEXT}. Stored value layout (the
 * sequence is in the key): {@code u32 interval || 32-byte hash || signature}.
 */
record Checkpoint(long sequence, byte[] hash, int interval, byte[] signature) {

  static final String CONTEXT_TEXT = "coffer/audit-checkpoint/v1";
  private static final byte[] CONTEXT = CONTEXT_TEXT.getBytes(StandardCharsets.UTF_8);

  static Checkpoint sign(long sequence, byte[] hash, int interval, CheckpointSigner signer) {
    byte[] signature = signer.sign(signedData(sequence, hash, interval), CONTEXT);
    return new Checkpoint(sequence, hash.clone(), interval, signature);
  }

  boolean signatureValid(CheckpointSigner signer) {
    return signer.verify(signature, signedData(sequence, hash, interval), CONTEXT);
  }

  boolean matches(byte[] chainHash) {
    return Arrays.equals(hash, chainHash);
  }

  byte[] encode() {
    return ByteBuffer.allocate(Integer.BYTES + hash.length + signature.length)
        .putInt(interval).put(hash).put(signature).array();
  }

  /** @throws IllegalArgumentException if {@code value} is too short to be a checkpoint */
  static Checkpoint decode(long sequence, byte[] value) {
    if (value.length < Integer.BYTES + ChainedAuditLog.HASH_BYTES + 1) {
      throw new IllegalArgumentException("checkpoint record too short");
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    int interval = b.getInt();
    byte[] hash = new byte[ChainedAuditLog.HASH_BYTES];
    b.get(hash);
    byte[] signature = new byte[b.remaining()];
    b.get(signature);
    return new Checkpoint(sequence, hash, interval, signature);
  }

  private static byte[] signedData(long sequence, byte[] hash, int interval) {
    return ByteBuffer.allocate(Long.BYTES + hash.length + Integer.BYTES)
        .putLong(sequence).put(hash).putInt(interval).array();
  }
}
