package dev.coffer.server;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.ReplicatedKvStore;
import dev.coffer.server.store.CachingKvStore;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksDatabase;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.StorageWriteHealth;
import dev.coffer.server.store.records.DataKeyMigration;
import java.time.Clock;
import java.util.Optional;

/**
 * Capability module "storage": the RocksDB database of a {@link Vault}, the read cache every
 * other module reads and writes through, and the health of storage writes. Built from the
 * opened database, the cache size and the clock; opening it runs the one-off data-key
 * migration. Security: it holds only ciphertext and metadata; values are sealed above it.
 * Contract: write only through {@link #store()} (a write to {@link #rocks()} would leave the
 * cache stale); {@link #close()} closes the database, after which nothing may use it.
 */
public final class StorageModule implements AutoCloseable {

  private final RocksDatabase rocks;
  private final CachingKvStore cache;
  private final KvStore store;
  private final Optional<ClusterNode> cluster;
  private final StorageWriteHealth storageWrites;

  StorageModule(RocksKvStore rocks, long readCacheBytes, Clock clock) {
    this(rocks, new CachingKvStore(rocks, readCacheBytes), Optional.empty(), clock);
  }

  /**
   * A cluster node's storage: modules write through {@code node} (one Raft entry per commit),
   * and the node's state machine applies every committed entry to {@code cache}.
   */
  StorageModule(RocksDatabase rocks, CachingKvStore cache, Optional<ClusterNode> node,
      Clock clock) {
    this.rocks = rocks;
    this.cache = cache;
    this.cluster = node;
    this.store = node.<KvStore>map(n -> new ReplicatedKvStore(cache, n)).orElse(cache);
    DataKeyMigration.runOnce(store);
    this.storageWrites = new StorageWriteHealth(clock);
  }

  /**
   * The store every module reads and writes: the database behind the read cache, and on a
   * cluster node, writes replicated through the Raft group.
   */
  public KvStore store() {
    return store;
  }

  /** The read cache in front of the database, for its figures. */
  public CachingKvStore readCache() {
    return cache;
  }

  /** This node's member of the Raft group; empty on a single node. */
  public Optional<ClusterNode> cluster() {
    return cluster;
  }

  /** The database itself, for its statistics and checkpoints; never write through it. */
  public RocksDatabase rocks() {
    return rocks;
  }

  /** Whether storage writes currently fail (shown by the admin status). */
  public StorageWriteHealth storageWrites() {
    return storageWrites;
  }

  @Override
  public void close() {
    cluster.ifPresent(ClusterNode::close); // stop applying before the database closes
    cache.close();
  }
}
