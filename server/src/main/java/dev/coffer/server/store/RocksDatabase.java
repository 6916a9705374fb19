package dev.coffer.server.store;

import java.nio.file.Path;

/**
 * A store on RocksDB, read without a cache, and what operators and metrics read of the
 * database beside its records:
 * consistent checkpoints (backups) and RocksDB's own figures. {@link RocksKvStore} is one
 * database; a cluster node's {@link SwappableRocksStore} answers for whichever database it
 * holds now, so a holder of this interface never keeps a database a snapshot install closed.
 * Security: figures and file copies of already sealed data only.
 */
public interface RocksDatabase extends KvStore {

  /** A consistent copy of the database in {@code target}, which must not exist. */
  void checkpoint(Path target);

  /** RocksDB's latest sequence number. */
  long latestSequenceNumber();

  /** RocksDB's estimate of the keys in {@code table}. */
  long estimatedKeys(Table table);

  /** Estimated bytes of live data. */
  long liveDataBytes();

  /** Estimated bytes compaction still has to rewrite. */
  long pendingCompactionBytes();

  /** Write-ahead-log writes and syncs since the database opened. */
  RocksKvStore.WalStatistics walStatistics();
}
