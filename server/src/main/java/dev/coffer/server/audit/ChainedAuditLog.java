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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A hash-chained, signed-checkpointed audit log. Event {@code n} is stored in AUDIT under
 * its big-endian sequence number and carries the SHA-256 of event {@code n-1}'s stored
 * bytes, so a removed, altered or reordered event breaks the chain. Each commit writes, in
 * the same atomic batch as the change it records: the event, its tenant index entry (see
 * {@link AuditQuery}), the head (last sequence and hash) and, every {@code interval}
 * events, a {@link Checkpoint} signed with the vault's audit signing key, so that even an
 * attacker who rewrites events and recomputes every hash is caught at the next checkpoint.
 *
 * <p>The writer's promise, which {@link AuditChainVerifier} checks: after a checkpoint with
 * interval {@code n}, the next checkpoint (or the head) comes within {@code n} events.
 * Opening the log therefore writes a checkpoint at the head when the newest one is not
 * there or has another interval (first start, an upgraded vault, a crash, a changed
 * interval), and {@link #checkpoint()} writes one on clean shutdown. Opening also indexes,
 * once, the events of a vault written before the tenant index existed.
 *
 * <p>Commits are serialised, so sequence order equals commit order. Events hold
 * identifiers only, never values, tokens or verifiers.
 */
public final class ChainedAuditLog implements AuditLog {

  public static final int DEFAULT_CHECKPOINT_INTERVAL = 1000;
  static final int HASH_BYTES = 32;

  private final KvStore store;
  private final CheckpointSigner signer;
  private final int interval;
  private long lastSequence;
  private byte[] lastHash;
  private long lastCheckpoint = -1;

  /**
   * Opens the log over {@code store}, indexing old events and anchoring a checkpoint at the
   * head if needed (both are writes).
   *
   * @param interval events between signed checkpoints, at least 1
   */
  public ChainedAuditLog(KvStore store, CheckpointSigner signer, int interval) {
    if (interval < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1");
    }
    this.store = store;
    this.signer = signer;
    this.interval = interval;
    AuditHead head = store.get(Table.META, AuditKeys.HEAD_KEY).map(ChainedAuditLog::parseHead)
        .orElse(AuditHead.newBuilder().setHash(ByteString.copyFrom(new byte[HASH_BYTES])).build());
    this.lastSequence = head.getSequence();
    this.lastHash = head.getHash().toByteArray();
    IndexBackfill.runOnce(store);
    Optional<Checkpoint> newest = newestCheckpoint();
    if (newest.isEmpty() || newest.get().sequence() != lastSequence
        || newest.get().interval() != interval) {
      checkpoint();
    } else {
      lastCheckpoint = lastSequence;
    }
  }

  @Override
  public synchronized void commit(Changes changes, AuditEvent event) {
    long sequence = lastSequence + 1;
    byte[] record = toRecord(sequence, event, lastHash).toByteArray();
    byte[] hash = sha256(record);
    Changes batch = new Changes().addAll(changes)
        .put(Table.AUDIT, AuditKeys.sequenceKey(sequence), record)
        .put(Table.INDEX, AuditKeys.indexKey(event.tenantId(), sequence), new byte[0])
        .put(Table.META, AuditKeys.HEAD_KEY, AuditHead.newBuilder()
            .setSequence(sequence).setHash(ByteString.copyFrom(hash)).build().toByteArray());
    boolean checkpoint = sequence % interval == 0;
    if (checkpoint) {
      stageCheckpoint(batch, sequence, hash);
    }
    store.commit(batch);
    lastSequence = sequence;
    lastHash = hash;
    if (checkpoint) {
      lastCheckpoint = sequence;
    }
  }

  /**
   * Writes a signed checkpoint at the head unless the newest one is already there (called
   * on clean shutdown, so a restart finds the whole chain covered).
   */
  public synchronized void checkpoint() {
    if (lastCheckpoint == lastSequence) {
      return;
    }
    Changes batch = new Changes();
    stageCheckpoint(batch, lastSequence, lastHash);
    store.commit(batch);
    lastCheckpoint = lastSequence;
  }

  @Override
  public synchronized long lastSequence() {
    return lastSequence;
  }

  /** Events between signed checkpoints. */
  public int checkpointInterval() {
    return interval;
  }

  private void stageCheckpoint(Changes batch, long sequence, byte[] hash) {
    Checkpoint c = Checkpoint.sign(sequence, hash, interval, signer);
    batch.put(Table.META, AuditKeys.checkpointKey(sequence), c.encode())
        .put(Table.META, AuditKeys.LAST_CHECKPOINT_KEY, AuditKeys.sequenceKey(sequence));
  }

  /** The checkpoint the writer's pointer names; empty if none (or it is unreadable). */
  private Optional<Checkpoint> newestCheckpoint() {
    return store.get(Table.META, AuditKeys.LAST_CHECKPOINT_KEY)
        .filter(b -> b.length == Long.BYTES)
        .map(b -> ByteBuffer.wrap(b).getLong())
        .flatMap(seq -> store.get(Table.META, AuditKeys.checkpointKey(seq)).flatMap(v -> {
          try {
            return Optional.of(Checkpoint.decode(seq, v));
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        }));
  }

  static byte[] sequenceKey(long sequence) {
    return AuditKeys.sequenceKey(sequence);
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

  static AuditHead parseHead(byte[] bytes) {
    try {
      return AuditHead.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "audit head is damaged", e);
    }
  }
}
