package dev.coffer.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.SwappableRocksStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditRec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/**
 * The Raft state machine of one Coffer replica: applies committed {@link ReplicatedBatch}
 * entries, in log order, to this node's {@link KvStore}.
 *
 * <p>Contract, per entry: its expectations are checked first against storage itself
 * ({@link KvStore#getUncached}), in their order; if one fails, the entry changes nothing
 * but the applied index and its reply ({@link ApplyOutcome}) names the first failed one.
 * Otherwise its puts and deletes commit in ONE atomic batch together with the
 * entry's term and index under {@link #APPLIED_KEY} in {@link Table#META}, so the store
 * and its applied index can never disagree, even after {@code kill -9}; the batch is not
 * synced ({@link KvStore#commitReplayable}): the entry is synced in the Raft log, which
 * Ratis replays past whatever the store lost. An entry that
 * does not decode, or that writes the reserved key itself, is {@code REJECTED}: it changes
 * nothing but the applied index (the leader also refuses it before it reaches the log).
 * Apply is deterministic: no clock, randomness or key generation, so every replica holds
 * the same bytes after the same entries. At start the applied term-index is read back from
 * the store; entries at or below it (replayed by Ratis from its log) are skipped, so a
 * restarted node never applies an entry twice. A storage failure during apply is thrown
 * to Ratis, which stops this server rather than let its replica diverge.
 *
 * <p>Snapshots ({@link CheckpointSnapshotStorage}): {@link #takeSnapshot} first stores the
 * applied term-index (it may have moved past the store's on configuration entries), then
 * checkpoints the database, on Ratis's updater thread, so no entry applies meanwhile and the
 * checkpoint holds exactly the entries up to the snapshot's index. When Ratis has installed a
 * snapshot received from the leader ({@link #reinitialize}), or at start ({@link #initialize})
 * when the latest snapshot is ahead of the store (a crash between the two), the database is
 * replaced by the snapshot's checkpoint and the applied term-index read back from it; a
 * checkpoint whose stored term-index is not the snapshot's is refused.
 *
 * <p>The store is the caller's: this class never closes it. {@code store} is the database
 * itself or a read cache over it (which the replacement clears).
 *
 * <p>Security: entries carry only what the leader already sealed; nothing here logs or
 * puts a key or value in a message.
 */
public final class CofferStateMachine extends BaseStateMachine {

  /** Reserved key in {@link Table#META}: version 1, then the applied term and index. */
  public static final byte[] APPLIED_KEY =
      "cluster/applied-term-index".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = Logger.getLogger(CofferStateMachine.class.getName());
  private static final byte APPLIED_VERSION = 1;
  /** In the refusal of a proposal whose deadline passed before the leader took it. */
  static final String EXPIRED = "the proposal's deadline passed before the leader took it";

  private final KvStore store;
  private final int checkpointInterval;
  private final CheckpointSigner signer;
  private final CheckpointSnapshotStorage storage;
  private final AtomicLong snapshotsInstalled = new AtomicLong();
  private final AtomicLong leaderChanges = new AtomicLong();
  private final DirectEntries directEntries = new DirectEntries();
  private final Object appliedMonitor = new Object();
  private volatile Consumer<Changes> onApplied = changes -> { };
  private volatile Runnable onReinitialized = () -> { };
  private volatile Consumer<List<byte[]>> onNotices = notices -> { };
  private volatile Runnable onConfigurationChanged = () -> { };

  /**
   * A state machine for entries without audit events (an entry with events is refused),
   * applying to {@code store}, which is {@code database} or a read cache over it; snapshots
   * are checkpoints of {@code database}.
   */
  public CofferStateMachine(KvStore store, SwappableRocksStore database) {
    this(store, database, ChainedAuditLog.DEFAULT_CHECKPOINT_INTERVAL, null);
  }

  /**
   * A state machine that chains the audit events of an entry at apply, signing a checkpoint
   * every {@code checkpointInterval} events with {@code signer} (the same interval on every
   * node; each node signs its own checkpoints of the same chain with the cluster's one audit
   * key, so checkpoint signatures are the only bytes that differ between replicas).
   */
  public CofferStateMachine(KvStore store, SwappableRocksStore database, int checkpointInterval,
      CheckpointSigner signer) {
    this.store = Objects.requireNonNull(store, "store");
    this.storage = new CheckpointSnapshotStorage(database);
    if (checkpointInterval < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1");
    }
    this.checkpointInterval = checkpointInterval;
    this.signer = signer;
  }

  /**
   * Adds {@code listener}, called on the updater thread with what each applied entry wrote,
   * after it is durable (the keys module reloads keysets an entry touched; the node compares
   * clock beacons), after the listeners added before it.
   */
  public void onApplied(Consumer<Changes> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      this.onApplied = this.onApplied.andThen(listener);
    }
  }

  /**
   * Calls {@code listener} on the updater thread with the lifecycle notices of each applied
   * entry that carries some, in log order, after the entry is durable. It must not block; what
   * it throws is ignored (a notice is not worth stopping a replica for).
   */
  public void onNotices(Consumer<List<byte[]>> listener) {
    this.onNotices = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Waits until an entry at or above {@code index} is applied here, at most {@code millis}.
   *
   * @return whether it was
   */
  public boolean awaitApplied(long index, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (appliedMonitor) {
      while (!alreadyApplied(index)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        appliedMonitor.wait(left);
      }
      return true;
    }
  }

  private void signalApplied() {
    synchronized (appliedMonitor) {
      appliedMonitor.notifyAll();
    }
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      installLatestSnapshotIfAhead();
      restoreAppliedTermIndex();
    }, IOException.class);
  }

  /** Ratis is about to publish a snapshot received from the leader: no entry applies now. */
  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  /**
   * Ratis has published a snapshot received from the leader in the state-machine directory
   * (on its updater thread, after {@link #pause}): the database becomes its checkpoint.
   */
  @Override
  public void reinitialize() throws IOException {
    storage.reload();
    installLatestSnapshotIfAhead();
    restoreAppliedTermIndex();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
    onReinitialized.run();
    signalApplied();
  }

  /**
   * Runs {@code listener} on the updater thread after the store was reloaded from a snapshot
   * (the keys module reloads the keysets it may have replaced).
   */
  public void onReinitialized(Runnable listener) {
    this.onReinitialized = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Checkpoints the database at the applied term-index; Ratis then purges its log up to it
   * (if configured, see {@link ClusterSnapshots}). Returns the snapshot's index.
   */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex applied = getLastAppliedTermIndex();
    if (applied == null || applied.getIndex() < 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    if (!storedAppliedTermIndex(store).equals(Optional.of(applied))) {
      store.commit(appliedIndexOnly(applied));
    }
    storage.take(applied);
    return applied.getIndex();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public FileListSnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  /** When the latest snapshot was written here (its checkpoint's time), if there is one. */
  public Optional<Instant> latestSnapshotTime() {
    FileListSnapshotInfo latest = storage.getLatestSnapshot();
    if (latest == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.getLastModifiedTime(storage.checkpointOf(latest))
          .toInstant());
    } catch (IOException e) {
      return Optional.empty(); // replaced meanwhile: the next read sees the new one
    }
  }

  /** Ratis names a new leader (or none): counted for {@link #leaderChanges}. */
  @Override
  public void notifyLeaderChanged(org.apache.ratis.protocol.RaftGroupMemberId groupMemberId,
      org.apache.ratis.protocol.RaftPeerId newLeaderId) {
    if (newLeaderId != null) {
      leaderChanges.incrementAndGet();
    }
  }

  /**
   * Runs {@code listener} on the updater thread when a membership change applies here (the
   * group this node reports already holds it); the metrics follow the peers with it.
   */
  public void onConfigurationChanged(Runnable listener) {
    this.onConfigurationChanged = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void notifyConfigurationChanged(long term, long index,
      org.apache.ratis.proto.RaftProtos.RaftConfigurationProto newRaftConfiguration) {
    onConfigurationChanged.run();
  }

  /** How many times this node learnt of a new leader since it started. */
  public long leaderChanges() {
    return leaderChanges.get();
  }

  /** How many snapshots this replica has installed into its database since it started. */
  public long snapshotsInstalled() {
    return snapshotsInstalled.get();
  }

  private void installLatestSnapshotIfAhead() throws IOException {
    if (storage.installLatestIfAhead(store)) {
      snapshotsInstalled.incrementAndGet();
    }
  }

  /** The term and index stored with the last applied entry, if any entry was applied. */
  public static Optional<TermIndex> storedAppliedTermIndex(KvStore store) {
    return store.getUncached(Table.META, APPLIED_KEY).map(CofferStateMachine::decodeTermIndex);
  }

  private void restoreAppliedTermIndex() {
    storedAppliedTermIndex(store).ifPresent(this::setLastAppliedTermIndex);
  }

  /**
   * The leader opens a proposal ({@link ReplicatedBatch#openProposal}) before appending it and
   * appends its entry alone. It refuses, before the log: a proposal whose deadline has passed
   * on this node's clock (a StateMachineException whose message holds {@link #EXPIRED}: its
   * caller has stopped waiting, so a Raft client still retrying it after a lost quorum or
   * leader cannot commit it later), and a malformed batch (carrying the value-free
   * INVALID_ARGUMENT message). A client retry policy should retry neither.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ReplicatedBatch.Proposal proposal;
    Exception refusal = null;
    try {
      proposal = ReplicatedBatch.openProposal(request.getMessage().getContent());
      if (System.currentTimeMillis() > proposal.deadlineMillis()) {
        refusal = new TimeoutException(EXPIRED);
      } else {
        validate(proposal.entry().toByteArray());
      }
    } catch (CofferException e) {
      proposal = new ReplicatedBatch.Proposal(request.getMessage().getContent(), 0);
      refusal = new IllegalArgumentException(e.getMessage());
    }
    TransactionContext trx = TransactionContext.newBuilder().setStateMachine(this)
        .setClientRequest(request).setLogData(proposal.entry()).build();
    if (refusal != null) {
      trx.setException(refusal);
    }
    return trx;
  }

  /**
   * A read barrier's query (see {@code ClusterNode#readBarrier}): Ratis calls it once this
   * node has applied the read index, which is all the barrier needs; reads then go to the
   * store itself.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  /** What Ratis prints for an entry in its logs and messages: its size, never its bytes. */
  @Override
  public String toStateMachineLogEntryString(StateMachineLogEntryProto entry) {
    return ReplicatedBatch.describe(entry.getLogData().size());
  }

  /** The entries this node proposed to its own server, awaiting their apply here. */
  DirectEntries directEntries() {
    return directEntries;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex termIndex = TermIndex.valueOf(entry);
    if (alreadyApplied(termIndex.getIndex())) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
    ApplyOutcome outcome = apply(data, termIndex);
    updateLastAppliedTermIndex(termIndex);
    signalApplied();
    byte[] encoded = outcome.encode();
    directEntries.applied(entry.getStateMachineLogEntry(), termIndex.getIndex(), encoded);
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(encoded)));
  }

  /**
   * Configuration and metadata entries advance the applied index in memory only; the
   * ones Ratis replays below the restored index are ignored.
   */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    if (!alreadyApplied(index)) {
      super.notifyTermIndexUpdated(term, index);
      signalApplied();
    }
  }

  private boolean alreadyApplied(long index) {
    TermIndex last = getLastAppliedTermIndex();
    return last != null && index <= last.getIndex();
  }

  private ApplyOutcome apply(byte[] data, TermIndex termIndex) {
    ReplicatedBatch.Entry entry;
    List<AuditRec> events;
    try {
      entry = validate(data);
      events = unchainedEvents(entry);
    } catch (CofferException e) {
      store.commitReplayable(appliedIndexOnly(termIndex));
      return ApplyOutcome.REJECTED;
    }
    List<Changes.Expectation> expectations = entry.changes().expectations();
    for (int i = 0; i < expectations.size(); i++) {
      Changes.Expectation e = expectations.get(i);
      if (!holds(e)) {
        store.commitReplayable(appliedIndexOnly(termIndex));
        return ApplyOutcome.expectationFailed(i, e.table());
      }
    }
    Changes write = new Changes();
    for (Changes.Change c : entry.changes().list()) {
      if (c.isDelete()) {
        write.delete(c.table(), c.key());
      } else {
        write.put(c.table(), c.key(), c.value());
      }
    }
    if (!events.isEmpty()) {
      ChainedAuditLog.stageAfterStoredHead(store, write, events, checkpointInterval, signer);
    }
    store.commitReplayable(write.put(Table.META, APPLIED_KEY, encodeTermIndex(termIndex)));
    entry.purge().ifPresent(p -> store.purge(p.table(), p.from(), p.toExclusive()));
    onApplied.accept(write);
    if (!entry.notices().isEmpty()) {
      try {
        onNotices.accept(entry.notices());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "lifecycle notices not delivered: {0}", e.getClass().getName());
      }
    }
    return ApplyOutcome.APPLIED;
  }

  /** The entry's events, each an unchained audit record; refused when this node cannot sign. */
  private List<AuditRec> unchainedEvents(ReplicatedBatch.Entry entry) {
    if (entry.events().isEmpty()) {
      return List.of();
    }
    if (signer == null) {
      throw CofferException.invalid(ReplicatedBatch.FIELD, "carries events this node cannot chain");
    }
    List<AuditRec> events = new ArrayList<>(entry.events().size());
    for (byte[] bytes : entry.events()) {
      AuditRec rec;
      try {
        rec = AuditRec.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw CofferException.invalid(ReplicatedBatch.FIELD, "holds a malformed audit event");
      }
      if (rec.getSequence() != 0 || !rec.getPreviousHash().isEmpty()) {
        throw CofferException.invalid(ReplicatedBatch.FIELD, "holds an event already chained");
      }
      events.add(rec);
    }
    return events;
  }

  private boolean holds(Changes.Expectation e) {
    Optional<byte[]> current = store.getUncached(e.table(), e.key());
    return e.value() == null ? current.isEmpty()
        : current.isPresent() && Arrays.equals(current.get(), e.value());
  }

  /** Decodes {@code data} and refuses a batch that names the reserved applied-index key. */
  static ReplicatedBatch.Entry validate(byte[] data) {
    ReplicatedBatch.Entry batch = ReplicatedBatch.decodeEntry(data);
    for (Changes.Change c : batch.changes().list()) {
      if (c.table() == Table.META && Arrays.equals(c.key(), APPLIED_KEY)) {
        throw CofferException.invalid(ReplicatedBatch.FIELD, "writes the reserved applied key");
      }
    }
    return batch;
  }

  private static Changes appliedIndexOnly(TermIndex termIndex) {
    return new Changes().put(Table.META, APPLIED_KEY, encodeTermIndex(termIndex));
  }

  static byte[] encodeTermIndex(TermIndex termIndex) {
    return ByteBuffer.allocate(17).put(APPLIED_VERSION)
        .putLong(termIndex.getTerm()).putLong(termIndex.getIndex()).array();
  }

  static TermIndex decodeTermIndex(byte[] bytes) {
    if (bytes.length != 17 || bytes[0] != APPLIED_VERSION) {
      throw new CofferException(Reason.STORAGE_FAILURE,
          "stored applied term-index is malformed");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, 16);
    return TermIndex.valueOf(in.getLong(), in.getLong());
  }
}
