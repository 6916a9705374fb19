package dev.coffer.server.cluster;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.GuardedReads;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.util.List;
import java.util.Optional;

/**
 * The store a cluster node's vault reads and writes: reads are served by this node's own
 * store (through its read cache, which the state machine writes through); a commit becomes
 * one Raft entry and returns once it is committed by a majority and applied here (see
 * {@link ClusterNode#propose}). Expectations travel with the entry and are checked by every
 * replica at apply, against the state the entry applies to. Reads are noted in, and commits
 * guarded by, the calling thread's {@link GuardedReads}: a read-modify-write raced by one on
 * another node fails with CONCURRENT_CHANGE instead of overwriting it.
 *
 * <p>{@link #purge} is replicated too: one entry whose apply purges the range on every replica,
 * then a snapshot requested on every member so its Raft log can be trimmed past the delete
 * (docs/cluster-design.md, "Crypto-shredding").
 * {@link #close} closes nothing: the node and the local store have their own owners.
 */
public final class ReplicatedKvStore implements KvStore {

  private final KvStore local;
  private final ClusterNode node;

  public ReplicatedKvStore(KvStore local, ClusterNode node) {
    this.local = local;
    this.node = node;
  }

  @Override
  public Optional<byte[]> get(Table table, byte[] key) {
    Optional<byte[]> value = local.get(table, key);
    GuardedReads.got(table, key, value);
    return value;
  }

  @Override
  public Optional<byte[]> getUncached(Table table, byte[] key) {
    Optional<byte[]> value = local.getUncached(table, key);
    GuardedReads.got(table, key, value);
    return value;
  }

  @Override
  public List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit) {
    List<KeyValue> found = local.scan(table, prefix, startAfter, limit);
    GuardedReads.scanned(table, prefix, startAfter, limit, found);
    return found;
  }

  @Override
  public void commit(Changes changes) {
    GuardedReads.guard(changes);
    if (changes.list().isEmpty() && !changes.hasExpectations()) {
      return;
    }
    GuardedReads.tracking(changes, () -> node.proposeAndWait(ReplicatedBatch.encode(changes)));
  }

  @Override
  public void purge(Table table, byte[] from, byte[] toExclusive) {
    node.proposeAndWait(ReplicatedBatch.encodePurge(table, from, toExclusive));
    node.snapshotEveryMember();
  }

  @Override
  public void close() {
    // the local store and the node are closed by their owners
  }
}
