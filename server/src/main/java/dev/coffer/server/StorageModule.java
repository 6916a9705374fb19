package dev.coffer.server;

import dev.coffer.server.store.CachingKvStore;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.StorageWriteHealth;
import dev.coffer.server.store.records.DataKeyMigration;
import java.time.Clock;

/**
 * Capability module "storage": the RocksDB database of a {@link Vault}, the read cache every
 * other module reads and writes through, and the health of storage writes. Built from the
 * opened database, the cache size and the clock; opening it runs the one-off data-key
 * migration. Security: it holds only ciphertext and metadata; values are sealed above it.
 * Contract: write only through {@link #store()} (a write to {@link #rocks()} would leave the
 * cache stale); {@link #close()} closes the database, after which nothing may use it.
 */
public final class StorageModule implements AutoCloseable {

  private final RocksKvStore rocks;
  private final CachingKvStore store;
  private final StorageWriteHealth storageWrites;

  StorageModule(RocksKvStore rocks, long readCacheBytes, Clock clock) {
    this.rocks = rocks;
    this.store = new CachingKvStore(rocks, readCacheBytes);
    DataKeyMigration.runOnce(store);
    this.storageWrites = new StorageWriteHealth(clock);
  }

  /** The store every module reads and writes: the database behind the read cache. */
  public KvStore store() {
    return store;
  }

  /** The read cache {@link #store()} is, for its figures. */
  public CachingKvStore readCache() {
    return store;
  }

  /** The database itself, for its statistics and checkpoints; never write through it. */
  public RocksKvStore rocks() {
    return rocks;
  }

  /** Whether storage writes currently fail (shown by the admin status). */
  public StorageWriteHealth storageWrites() {
    return storageWrites;
  }

  @Override
  public void close() {
    store.close();
  }
}
