package dev.coffer.server.audit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.StorageWriteHealth;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditHead;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Commits are serialised through one lock and grouped (see {@link #commit}), so
 * sequence order equals commit order while concurrent writers share fsyncs. Events hold
 * identifiers only, never values, tokens or verifiers. {@link #close} stops the writer
 * thread of {@link #commitAsync} after it has finished what was queued. The outcome of every
 * batch written goes to a {@link StorageWriteHealth}, so a lasting write failure (disk
 * full) is logged and shown to operators, and cleared by the next successful batch.
 */
public final class ChainedAuditLog implements AuditLog, AutoCloseable {

  public static final int DEFAULT_CHECKPOINT_INTERVAL = 1000;
  static final int HASH_BYTES = 32;
  /** Most events one synced batch carries. */
  static final int MAX_GROUP = 256;

  private final KvStore store;
  private final StorageWriteHealth writes;
  private final CheckpointSigner signer;
  private final int interval;
  private final ReentrantLock commitLock = new ReentrantLock();
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final QueueWriter writer = new QueueWriter("coffer-audit-writer", this::writeQueued);
  private volatile long lastSequence; // written under commitLock
  private byte[] lastHash; // guarded by commitLock
  private long lastCheckpoint = -1; // guarded by commitLock

  /**
   * Opens the log over {@code store}, indexing old events and anchoring a checkpoint at the
   * head if needed (both are writes).
   *
   * @param interval events between signed checkpoints, at least 1
   */
  public ChainedAuditLog(KvStore store, CheckpointSigner signer, int interval) {
    this(store, signer, interval, new StorageWriteHealth(Clock.systemUTC()));
  }

  /**
   * As above, reporting the outcome of every batch it writes to {@code writes}, so that a
   * lasting write failure (disk full, I/O error) is logged and shown to operators.
   */
  public ChainedAuditLog(KvStore store, CheckpointSigner signer, int interval,
      StorageWriteHealth writes) {
    this.writes = writes;
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

  /**
   * {@inheritDoc}
   *
   * <p>Group commit: the caller queues its change and event, then whoever holds the commit
   * lock drains the queue, chains the queued events in order and writes them all in one
   * synced batch, so concurrent callers share one fsync. A caller returns only once its
   * own batch is durable, or throws with nothing of it written. Changes that carry
   * {@linkplain Changes#expect expectations} commit in a batch of their own, checked
   * under the lock; a failed check throws CONCURRENT_CHANGE.
   */
  @Override
  public void commit(Changes changes, AuditEvent event) {
    Pending pending = new Pending(changes, event, null);
    queue.add(pending);
    List<Pending> finished = new ArrayList<>();
    commitLock.lock();
    try {
      while (!pending.done) {
        finished.addAll(commitGroup());
      }
    } finally {
      commitLock.unlock();
    }
    completeWaiters(finished);
    if (pending.failure != null) {
      throw pending.failure;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The change joins the same queue as {@link #commit}'s: a blocked committer or the
   * log's writer thread, whichever holds the lock first, writes it in a group. The future
   * completes on that thread, after the lock is released, so its continuations never delay
   * the next group's fsync.
   */
  @Override
  public CompletableFuture<Void> commitAsync(Changes changes, AuditEvent event) {
    Pending pending = new Pending(changes, event, new CompletableFuture<>());
    queue.add(pending);
    if (!writer.signal()) {
      writeQueued(); // closed: fail (or write) the queue on this thread rather than strand it
    }
    return pending.future;
  }

  /**
   * The writer thread's task: drains the queue one group at a time, completing each group's
   * futures as soon as its batch is durable (outside the lock), so those callers can answer
   * and send their next request while the following group is written.
   */
  private void writeQueued() {
    while (!queue.isEmpty()) {
      List<Pending> finished;
      commitLock.lock();
      try {
        finished = commitGroup();
      } finally {
        commitLock.unlock();
      }
      completeWaiters(finished);
    }
  }

  private static void completeWaiters(List<Pending> finished) {
    for (Pending p : finished) {
      if (p.future == null) {
        continue;
      }
      if (p.failure == null) {
        p.future.complete(null);
      } else {
        p.future.completeExceptionally(p.failure);
      }
    }
  }

  /**
   * Returns once every change queued before the call is durable or has failed (it writes
   * what is still queued on this thread). For tests that count writes, and orderly stops.
   */
  public void drain() {
    List<Pending> finished = new ArrayList<>();
    commitLock.lock();
    try {
      while (!queue.isEmpty()) {
        finished.addAll(commitGroup());
      }
    } finally {
      commitLock.unlock();
    }
    completeWaiters(finished);
  }

  /** Stops the writer thread once it has written (or failed) every queued change. */
  @Override
  public void close() {
    writer.close();
  }

  /**
   * Commits the queue's head: a run of plain changes, or one guarded change alone. Returns
   * the changes it finished; with nothing queued, writes nothing. Called with the commit lock
   * held (package-private for its test).
   */
  List<Pending> commitGroup() {
    List<Pending> group = GroupCommit.nextGroup(queue, p -> p.changes.hasExpectations(),
        MAX_GROUP);
    if (group.isEmpty()) {
      // The writer saw a change queued, but drain() wrote it first: nothing to write (an empty
      // group would rewrite the unchanged head, a write no call made).
      return group;
    }
    try {
      commitPolled(group);
    } catch (RuntimeException e) {
      // Never leave a polled change unfinished: its caller would wait for it forever.
      for (Pending p : group) {
        if (!p.done) {
          p.finish(e);
        }
      }
    }
    return group;
  }

  /** Checks a guarded change, chains the group's events and writes the one batch. */
  private void commitPolled(List<Pending> group) {
    if (group.size() == 1 && group.get(0).changes.hasExpectations()
        && !expectationsHold(group.get(0).changes)) {
      group.get(0).finish(new CofferException(Reason.CONCURRENT_CHANGE,
          "the records changed while this write was prepared; read them again"));
      return;
    }
    Changes batch = new Changes();
    List<AuditRec> records = new ArrayList<>(group.size());
    for (Pending p : group) {
      batch.addAll(p.changes);
      records.add(unchained(p.event));
    }
    Head head = stage(batch, new Head(lastSequence, lastHash), records, interval, signer);
    long sequence = head.sequence();
    byte[] hash = head.hash();
    long checkpointAt = newestCheckpointIn(lastSequence, sequence, interval);
    RuntimeException failure = null;
    try {
      store.commit(batch);
      lastHash = hash;
      lastSequence = sequence;
      if (checkpointAt > 0) {
        lastCheckpoint = checkpointAt;
      }
      writes.succeeded();
    } catch (RuntimeException e) {
      failure = e;
      writes.failed(e);
    }
    for (Pending p : group) {
      p.finish(failure);
    }
  }

  /**
   * Extends the chain after {@code head} with {@code records} (each {@link #unchained}) into
   * {@code batch}: every event under its sequence number, its tenant index entry, a signed
   * checkpoint at every multiple of {@code interval}, and the new head. The one place the
   * chain grows: this log's group commit and the replicated state machine's apply both call
   * it, so a cluster's replicas chain exactly as a single node does.
   */
  public static Head stage(Changes batch, Head head, List<AuditRec> records, int interval,
      CheckpointSigner signer) {
    long sequence = head.sequence();
    byte[] hash = head.hash();
    for (AuditRec unchained : records) {
      sequence++;
      byte[] record = unchained.toBuilder().setSequence(sequence)
          .setPreviousHash(ByteString.copyFrom(hash)).build().toByteArray();
      hash = sha256(record);
      batch.put(Table.AUDIT, AuditKeys.sequenceKey(sequence), record)
          .put(Table.INDEX, AuditKeys.indexKey(unchained.getTenantId(), sequence), new byte[0]);
      if (sequence % interval == 0) {
        stageCheckpoint(batch, sequence, hash, interval, signer);
      }
    }
    batch.put(Table.META, AuditKeys.HEAD_KEY, AuditHead.newBuilder()
        .setSequence(sequence).setHash(ByteString.copyFrom(hash)).build().toByteArray());
    return new Head(sequence, hash);
  }

  /**
   * {@link #stage} after the head stored in {@code store}, first anchoring a signed checkpoint
   * at that head when the newest checkpoint is missing or has another interval (what opening
   * a single node's log does): the replicated state machine's one call per applied entry.
   */
  public static Head stageAfterStoredHead(KvStore store, Changes batch, List<AuditRec> records,
      int interval, CheckpointSigner signer) {
    Head head = head(store);
    Optional<Checkpoint> newest = newestCheckpoint(store);
    if (newest.isEmpty() || newest.get().interval() != interval
        || newest.get().sequence() + interval < head.sequence() + 1) {
      stageCheckpoint(batch, head.sequence(), head.hash(), interval, signer);
    }
    return stage(batch, head, records, interval, signer);
  }

  /** {@code event} as a record not yet in the chain: no sequence, no previous hash. */
  public static AuditRec unchained(AuditEvent event) {
    return toRecord(0, event, new byte[0]);
  }

  /** The newest multiple of {@code interval} in {@code (from, to]}, or -1. */
  private static long newestCheckpointIn(long from, long to, int interval) {
    long newest = to - to % interval;
    return newest > from ? newest : -1;
  }

  private boolean expectationsHold(Changes changes) {
    for (Changes.Expectation e : changes.expectations()) {
      Optional<byte[]> current = store.getUncached(e.table(), e.key());
      boolean holds = e.value() == null
          ? current.isEmpty()
          : current.isPresent() && Arrays.equals(current.get(), e.value());
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  /**
   * One caller's change waiting for a group; {@code done} and {@code failure} are written
   * under the commit lock and read under it, or after the future completes.
   */
  private static final class Pending {
    final Changes changes;
    final AuditEvent event;
    final CompletableFuture<Void> future; // null for a blocked committer
    boolean done;
    RuntimeException failure;

    Pending(Changes changes, AuditEvent event, CompletableFuture<Void> future) {
      this.changes = changes;
      this.event = event;
      this.future = future;
    }

    void finish(RuntimeException failure) {
      this.failure = failure;
      this.done = true;
    }
  }

  /**
   * Writes a signed checkpoint at the head unless the newest one is already there (called
   * on clean shutdown, so a restart finds the whole chain covered).
   */
  public void checkpoint() {
    commitLock.lock();
    try {
      if (lastCheckpoint == lastSequence) {
        return;
      }
      Changes batch = new Changes();
      stageCheckpoint(batch, lastSequence, lastHash, interval, signer);
      try {
        store.commit(batch);
      } catch (RuntimeException e) {
        writes.failed(e);
        throw e;
      }
      writes.succeeded();
      lastCheckpoint = lastSequence;
    } finally {
      commitLock.unlock();
    }
  }

  @Override
  public long lastSequence() {
    return lastSequence;
  }

  /** Events between signed checkpoints. */
  public int checkpointInterval() {
    return interval;
  }

  private static void stageCheckpoint(Changes batch, long sequence, byte[] hash, int interval,
      CheckpointSigner signer) {
    Checkpoint c = Checkpoint.sign(sequence, hash, interval, signer);
    batch.put(Table.META, AuditKeys.checkpointKey(sequence), c.encode())
        .put(Table.META, AuditKeys.LAST_CHECKPOINT_KEY, AuditKeys.sequenceKey(sequence));
  }

  /** The checkpoint the writer's pointer names; empty if none (or it is unreadable). */
  private Optional<Checkpoint> newestCheckpoint() {
    return newestCheckpoint(store);
  }

  private static Optional<Checkpoint> newestCheckpoint(KvStore store) {
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

  /** The newest event's sequence number and record hash (0 and zeros when empty). */
  public record Head(long sequence, byte[] hash) {}

  /** Reads the head of the chain stored in {@code store} (any store, a backup's too). */
  public static Head head(KvStore store) {
    return store.get(Table.META, AuditKeys.HEAD_KEY).map(ChainedAuditLog::parseHead)
        .map(h -> new Head(h.getSequence(), h.getHash().toByteArray()))
        .orElse(new Head(0, new byte[HASH_BYTES]));
  }

  static AuditHead parseHead(byte[] bytes) {
    try {
      return AuditHead.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "audit head is damaged", e);
    }
  }
}
