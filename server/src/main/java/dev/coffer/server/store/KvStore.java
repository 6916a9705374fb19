package dev.coffer.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Ordered key-value storage in named tables. Storage is untrusted: everything secret
 * reaches it already sealed. Keys compare as unsigned bytes.
 */
public interface KvStore extends AutoCloseable {

  Optional<byte[]> get(Table table, byte[] key);

  /**
   * Like {@link #get}, but read from storage itself, never from a read cache in front of
   * it: for checks that guard a write (compare-and-set expectations).
   */
  default Optional<byte[]> getUncached(Table table, byte[] key) {
    return get(table, key);
  }

  /**
   * Up to {@code limit} entries whose key starts with {@code prefix}, in key order,
   * starting strictly after {@code startAfter} (or at the first key when null). Cost is
   * O(limit), whatever the table's size.
   */
  List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit);

  /**
   * Applies all changes atomically. Returns only after the write-ahead log is synced to
   * disk, so an acknowledged commit survives a process kill or power loss.
   *
   * @throws dev.coffer.server.domain.CofferException STORAGE_FAILURE when the write fails
   */
  void commit(Changes changes);

  /**
   * As {@link #commit}, atomically, but returning once the write is in the write-ahead log
   * without waiting for its sync: for a write that another synced log can replay after a
   * power loss, and only then. A cluster node applies Raft entries this way: each entry is
   * synced in the Raft log of a majority before it is applied, and the applied index is in the
   * same batch, so after a crash Ratis replays whatever the store lost. By default, synced.
   */
  default void commitReplayable(Changes changes) {
    commit(changes);
  }

  /**
   * Physically removes what committed deletes in {@code [from, toExclusive)} of
   * {@code table} left behind in storage files and the write-ahead log (see
   * {@link RocksKvStore#purge}). Slow (flushes and compacts); for crypto shredding.
   */
  void purge(Table table, byte[] from, byte[] toExclusive);

  @Override
  void close();
}
