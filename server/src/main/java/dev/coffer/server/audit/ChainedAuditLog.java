package dev.coffer.server.audit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditHead;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A hash-chained audit log in the AUDIT table: event {@code n} is stored under its
 * big-endian sequence number and carries the SHA-256 of event {@code n-1}'s stored bytes,
 * so a removed, altered or reordered event breaks the chain. The head (last sequence and
 * hash) is kept in META and updated in the same batch. Commits are serialised so that
 * sequence order equals commit order.
 */
public final class ChainedAuditLog implements AuditLog {

  static final byte[] HEAD_KEY = "audit/head".getBytes(StandardCharsets.UTF_8);
  static final int HASH_BYTES = 32;

  private final KvStore store;
  private long lastSequence;
  private byte[] lastHash;

  public ChainedAuditLog(KvStore store) {
    this.store = store;
    AuditHead head = store.get(Table.META, HEAD_KEY).map(ChainedAuditLog::parseHead)
        .orElse(AuditHead.newBuilder().setHash(ByteString.copyFrom(new byte[HASH_BYTES])).build());
    this.lastSequence = head.getSequence();
    this.lastHash = head.getHash().toByteArray();
  }

  @Override
  public synchronized void commit(Changes changes, AuditEvent event) {
    long sequence = lastSequence + 1;
    byte[] record = toRecord(sequence, event, lastHash).toByteArray();
    byte[] hash = sha256(record);
    Changes batch = new Changes().addAll(changes)
        .put(Table.AUDIT, sequenceKey(sequence), record)
        .put(Table.META, HEAD_KEY, AuditHead.newBuilder()
            .setSequence(sequence).setHash(ByteString.copyFrom(hash)).build().toByteArray());
    store.commit(batch);
    lastSequence = sequence;
    lastHash = hash;
  }

  @Override
  public synchronized long lastSequence() {
    return lastSequence;
  }

  static byte[] sequenceKey(long sequence) {
    return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
  }

  static AuditRec toRecord(long sequence, AuditEvent e, byte[] previousHash) {
    return AuditRec.newBuilder()
        .setSequence(sequence)
        .setTimeMillis(e.time().toEpochMilli())
        .setTenantId(e.tenantId())
        .setActor(e.actor())
        .setAction(e.action().name())
        .setTarget(e.target())
        .setOutcome(e.outcome())
        .setReason(e.reason())
        .setRequestId(e.requestId())
        .setPeer(e.peer())
        .setPreviousHash(ByteString.copyFrom(previousHash))
        .build();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  private static AuditHead parseHead(byte[] bytes) {
    try {
      return AuditHead.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "audit head is damaged", e);
    }
  }
}
