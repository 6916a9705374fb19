package dev.coffer.server.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link KvStore} that keeps recently read entries of another store in memory, for the
 * point reads and short index scans every authenticated call repeats (token, principal,
 * secret record, grant index...). It holds the same bytes RocksDB's block cache already
 * holds (sealed values and non-secret metadata, never a plaintext or an unwrapped key),
 * closer to the caller: a hit costs a hash lookup instead of a native call and an
 * iterator seek.
 *
 * <p>Contract: every write goes through {@link #commit}, which drops the cached entries
 * the commit touches <em>after</em> the delegate has applied it and before it returns, so
 * a read that starts after a commit returned never sees what it replaced. A read that races
 * a commit can load the old bytes; each load notes a per-key stamp first and caches what it
 * read only if no commit touched the key meanwhile (checked atomically with the store), so
 * a stale entry cannot outlive the commit that made it stale. Cached: {@link #get} of any table but {@link Table#AUDIT} (absence
 * too), and {@link #scan} from the start of a prefix that ends a string segment (a
 * {@code 0x00} byte, see {@link Keys}) with at most {@link #MAX_SCAN_ENTRIES} results.
 * Paged scans, {@link #getUncached} and everything else read the delegate. Bounded by
 * weight (key and value bytes); callers get copies, so they may change what they are
 * given. Thread-safe.
 *
 * <p>The delegate must not be written except through this object while it is in use. Over a
 * {@link SwappableRocksStore}, the cache drops everything each time the database is replaced
 * (a cluster node installing a snapshot), before any call reads the new database.
 */
public final class CachingKvStore implements KvStore {

  /** Scans with more results than this are not cached (one entry must stay small). */
  public static final int MAX_SCAN_ENTRIES = 256;
  /** Scans with a longer prefix than this are not cached. */
  static final int MAX_SCAN_PREFIX = 256;

  private static final int STAMP_SLOTS = 4096; // a power of two
  private static final int ENTRY_OVERHEAD = 64;

  private final KvStore delegate;
  private final Cache<CacheKey, Cached> cache;
  /** Bumped (by slot of a key's hash) by every commit touching a key of that slot. */
  private final AtomicLongArray stamps = new AtomicLongArray(STAMP_SLOTS);
  /**
   * Per table, a bit for each prefix length a scan has ever been cached with: a commit
   * need only drop the prefixes of its keys that have such a length.
   */
  private final AtomicLongArray scanLengths =
      new AtomicLongArray(Table.values().length * (MAX_SCAN_PREFIX / 64));
  private final boolean enabled;
  private volatile boolean closed;

  /**
   * Caches reads of {@code delegate} up to about {@code maxBytes} of keys and values; 0
   * caches nothing (every call goes to the delegate).
   */
  public CachingKvStore(KvStore delegate, long maxBytes) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("negative cache size");
    }
    this.enabled = maxBytes > 0;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((CacheKey k, Cached v) -> k.bytes.length + v.weight())
        .executor(Runnable::run) // upkeep on the caller: no hand-off to the common pool
        .recordStats()
        .build();
    if (delegate instanceof SwappableRocksStore swappable) {
      swappable.onReplace(this::invalidateAll);
    }
  }

  @Override
  public Optional<byte[]> get(Table table, byte[] key) {
    Objects.requireNonNull(key, "key");
    refuseIfClosed();
    if (!cacheable(table)) {
      return delegate.get(table, key);
    }
    CacheKey k = new CacheKey(table, false, key.clone());
    if (cache.getIfPresent(k) instanceof Value hit) {
      return hit.copy();
    }
    int slot = k.slot();
    long stamp = stamps.get(slot);
    Optional<byte[]> read = delegate.get(table, key);
    Value loaded = new Value(read.map(byte[]::clone).orElse(null));
    remember(k, loaded, slot, stamp);
    return read;
  }

  @Override
  public Optional<byte[]> getUncached(Table table, byte[] key) {
    refuseIfClosed();
    return delegate.getUncached(table, key);
  }

  @Override
  public List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    refuseIfClosed();
    if (startAfter != null || limit <= 0 || !cacheable(table) || !endsSegment(prefix)
        || prefix.length > MAX_SCAN_PREFIX) {
      return delegate.scan(table, prefix, startAfter, limit);
    }
    CacheKey k = new CacheKey(table, true, prefix.clone());
    if (cache.getIfPresent(k) instanceof Range hit && hit.serves(limit)) {
      return hit.copy(limit);
    }
    // Marked before the stamp is read: a commit that does not see the mark was applied
    // before it, so this load already reads that commit.
    markScanLength(table, prefix.length);
    int slot = k.slot();
    long stamp = stamps.get(slot);
    List<KeyValue> read = delegate.scan(table, prefix, null, limit);
    if (read.size() <= MAX_SCAN_ENTRIES) {
      remember(k, new Range(limit, copies(read, read.size())), slot, stamp);
    }
    return read;
  }

  /**
   * Caches {@code loaded} unless a commit touched its slot since {@code stamp} was read
   * (before the load): the load may then hold what that commit replaced. The test and the
   * store are one atomic step on the key, so no other reader can see a stale entry after
   * the commit that made it stale returned (that commit's invalidation waits for the step).
   */
  private void remember(CacheKey k, Cached loaded, int slot, long stamp) {
    cache.asMap().compute(k, (key, current) -> stamps.get(slot) == stamp ? loaded : current);
    if (stamps.get(slot) != stamp) {
      // stamped after the test above: an invalidation may have missed the entry just stored
      cache.asMap().remove(k, loaded);
    }
  }

  /**
   * Drops every cached entry, so reads that start after it returns read the delegate; loads
   * in flight cache nothing (every stamp moves first). For a delegate replaced whole.
   */
  void invalidateAll() {
    for (int slot = 0; slot < STAMP_SLOTS; slot++) {
      stamps.incrementAndGet(slot);
    }
    cache.invalidateAll();
  }

  @Override
  public void commit(Changes changes) {
    write(changes, false);
  }

  @Override
  public void commitReplayable(Changes changes) {
    write(changes, true);
  }

  private void write(Changes changes, boolean replayable) {
    Objects.requireNonNull(changes, "changes");
    refuseIfClosed();
    try {
      if (replayable) {
        delegate.commitReplayable(changes);
      } else {
        delegate.commit(changes);
      }
    } finally {
      // Applied or not (a failed write may still have landed), what it touched is dropped.
      for (Changes.Change change : changes.list()) {
        forget(change.table(), change.key());
      }
    }
  }

  /** Drops the cached read of {@code key} and every cached scan whose prefix it has. */
  private void forget(Table table, byte[] key) {
    if (!cacheable(table) || key == null) {
      return;
    }
    drop(new CacheKey(table, false, key));
    int end = Math.min(key.length, MAX_SCAN_PREFIX);
    for (int i = 0; i < end; i++) {
      // A cached scan's prefix ends a segment (a 0x00) and has a marked length.
      if (key[i] == 0 && isScanLength(table, i + 1)) {
        drop(new CacheKey(table, true, Arrays.copyOf(key, i + 1)));
      }
    }
  }

  // Table.ordinal() here and in CacheKey indexes memory of this process only; it never
  // reaches disk, a backup or a token (Table names its column family explicitly).
  private void markScanLength(Table table, int length) {
    int word = table.ordinal() * (MAX_SCAN_PREFIX / 64) + (length - 1) / 64;
    long bit = 1L << ((length - 1) % 64);
    if ((scanLengths.get(word) & bit) == 0) {
      scanLengths.getAndAccumulate(word, bit, (a, b) -> a | b);
    }
  }

  private boolean isScanLength(Table table, int length) {
    int word = table.ordinal() * (MAX_SCAN_PREFIX / 64) + (length - 1) / 64;
    return (scanLengths.get(word) & (1L << ((length - 1) % 64))) != 0;
  }

  private void drop(CacheKey k) {
    stamps.incrementAndGet(k.slot()); // before the invalidation: see remember()
    cache.invalidate(k);
  }

  /** Purging removes only what deletes already removed: nothing cached changes. */
  @Override
  public void purge(Table table, byte[] from, byte[] toExclusive) {
    refuseIfClosed();
    delegate.purge(table, from, toExclusive);
  }

  /** Hits and misses so far (for metrics and tests). */
  public CacheStats stats() {
    return cache.stats();
  }

  /** Bytes of keys and values held now (approximate). */
  public long weightedSize() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
  }

  /** Runs pending evictions now (tests). */
  void cleanUp() {
    cache.cleanUp();
  }

  /** Drops the cache, then closes the delegate. Idempotent. */
  @Override
  public void close() {
    closed = true;
    cache.invalidateAll();
    delegate.close();
  }

  private void refuseIfClosed() {
    if (closed) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage is closed");
    }
  }

  private boolean cacheable(Table table) {
    return Objects.requireNonNull(table, "table") != Table.AUDIT && enabled;
  }

  private static boolean endsSegment(byte[] prefix) {
    return prefix.length > 0 && prefix[prefix.length - 1] == 0;
  }

  private static List<KeyValue> copies(List<KeyValue> entries, int count) {
    List<KeyValue> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      KeyValue kv = entries.get(i);
      out.add(new KeyValue(kv.key().clone(), kv.value().clone()));
    }
    return out;
  }

  /** A read or a scan of one table; keys compare by content. */
  private static final class CacheKey {
    final Table table;
    final boolean scan;
    final byte[] bytes;
    final int hash;

    CacheKey(Table table, boolean scan, byte[] bytes) {
      this.table = table;
      this.scan = scan;
      this.bytes = bytes;
      this.hash = (31 * table.ordinal() + (scan ? 1 : 0)) * 31 + Arrays.hashCode(bytes);
    }

    int slot() {
      return (hash ^ (hash >>> 16)) & (STAMP_SLOTS - 1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey other && other.hash == hash && other.table == table
          && other.scan == scan && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private sealed interface Cached permits Value, Range {
    int weight();
  }

  /** A point read; {@code bytes == null}: absent. */
  private record Value(byte[] bytes) implements Cached {
    Optional<byte[]> copy() {
      return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    @Override
    public int weight() {
      return ENTRY_OVERHEAD + (bytes == null ? 0 : bytes.length);
    }
  }

  /** The first entries of a prefix, read with {@code limit}; fewer means all there were. */
  private record Range(int limit, List<KeyValue> entries) implements Cached {
    boolean serves(int wanted) {
      return wanted <= entries.size() || entries.size() < limit;
    }

    List<KeyValue> copy(int wanted) {
      return copies(entries, Math.min(wanted, entries.size()));
    }

    @Override
    public int weight() {
      int w = ENTRY_OVERHEAD;
      for (KeyValue kv : entries) {
        w += ENTRY_OVERHEAD + kv.key().length + kv.value().length;
      }
      return w;
    }
  }
}
