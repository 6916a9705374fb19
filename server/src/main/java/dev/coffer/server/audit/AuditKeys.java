package dev.coffer.server.audit;

import dev.coffer.server.store.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where the audit trail lives in the store:
 * <ul>
 *   <li>AUDIT: event {@code n} under its 8-byte big-endian sequence number;
 *   <li>INDEX: {@code ("audit-t", tenant, u64 sequence)}, empty value, one per event, so one
 *       tenant's events are one key range in sequence order;
 *   <li>META: the head ({@code audit/head}), the signed checkpoints
 *       {@code ("audit-checkpoint", u64 sequence)}, the writer's pointer to its newest
 *       checkpoint, and the index version marker.
 * </ul>
 * Keys hold identifiers and sequence numbers only.
 */
final class AuditKeys {

  static final byte[] HEAD_KEY = "audit/head".getBytes(StandardCharsets.UTF_8);
  static final byte[] LAST_CHECKPOINT_KEY = Keys.builder().str("audit").str("last-checkpoint")
      .build();
  static final byte[] INDEX_VERSION_KEY = Keys.builder().str("audit").str("index-version")
      .build();
  static final byte[] CHECKPOINT_PREFIX = Keys.builder().str("audit-checkpoint").build();
  private static final String BY_TENANT = "audit-t";

  private AuditKeys() {}

  static byte[] sequenceKey(long sequence) {
    return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
  }

  static byte[] tenantPrefix(String tenantId) {
    return Keys.builder().str(BY_TENANT).str(tenantId).build();
  }

  static byte[] indexKey(String tenantId, long sequence) {
    return Keys.builder().str(BY_TENANT).str(tenantId).u64(sequence).build();
  }

  /** The sequence number at the end of an index or checkpoint key. */
  static long trailingSequence(byte[] key) {
    return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
  }

  static byte[] checkpointKey(long sequence) {
    return Keys.builder().raw(CHECKPOINT_PREFIX).u64(sequence).build();
  }
}
