package dev.coffer.server.store;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link KvStore} on one embedded RocksDB, one column family per {@link Table}.
 *
 * <p>Contract: {@link #commit} writes one {@link WriteBatch} with a synced write-ahead log,
 * so it is atomic across tables and an acknowledged commit survives {@code kill -9} and
 * power loss; concurrent commits share fsyncs (group commit). {@link #scan} reads at most
 * {@code limit} entries through an upper-bounded iterator. Thread-safe; {@link #close} is
 * idempotent and waits for calls in flight; calls after it fail with
 * {@link Reason#STORAGE_FAILURE}.
 *
 * <p>Security: storage sees only ciphertext and non-secret metadata, and this class never
 * puts keys or values in exception messages or logs.
 */
public final class RocksKvStore implements RocksDatabase {

  static {
    RocksDB.loadLibrary();
  }

  private final RocksOptions options;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> allHandles;
  private final Map<Table, ColumnFamilyHandle> tables;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final boolean readOnly;
  private boolean closed; // guarded by lock

  private RocksKvStore(RocksOptions options, RocksDB db, List<String> names,
      List<ColumnFamilyHandle> handles, boolean readOnly) {
    this.readOnly = readOnly;
    this.options = options;
    this.db = db;
    this.allHandles = List.copyOf(handles);
    Map<Table, ColumnFamilyHandle> byTable = new EnumMap<>(Table.class);
    for (Table table : Table.values()) {
      byTable.put(table, handles.get(names.indexOf(table.columnFamily())));
    }
    this.tables = byTable;
  }

  /**
   * Opens the store in {@code dir}, creating the directory, the database and any missing
   * column family. Column families this version does not know are opened and left alone.
   *
   * @throws CofferException STORAGE_FAILURE if the database cannot be opened (for example,
   *     another process holds its lock)
   */
  public static RocksKvStore open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    RocksOptions options = RocksOptions.create();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      List<String> names = columnFamilyNames(dir);
      List<ColumnFamilyDescriptor> descriptors = names.stream()
          .map(n -> new ColumnFamilyDescriptor(utf8(n), options.columnFamily()))
          .collect(Collectors.toList());
      RocksDB db = RocksDB.open(options.db(), dir.toString(), descriptors, handles);
      return new RocksKvStore(options, db, names, handles, false);
    } catch (RocksDBException | IOException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      options.close();
      throw new CofferException(Reason.STORAGE_FAILURE, "storage open failed", e);
    }
  }

  /**
   * Opens an existing database read-only (a backup being checked): reads work, commits
   * and purges fail with STORAGE_FAILURE, and nothing in {@code dir}'s data changes.
   */
  public static RocksKvStore openReadOnly(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.exists(dir.resolve("CURRENT"))) {
      throw new CofferException(Reason.STORAGE_FAILURE, "no database to open read-only");
    }
    RocksOptions options = RocksOptions.create();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      List<String> names = new ArrayList<>();
      try (Options listOptions = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
          names.add(new String(name, StandardCharsets.UTF_8));
        }
      }
      for (Table table : Table.values()) {
        if (!names.contains(table.columnFamily())) {
          throw new CofferException(Reason.STORAGE_FAILURE,
              "the database lacks table " + table.columnFamily());
        }
      }
      List<ColumnFamilyDescriptor> descriptors = names.stream()
          .map(n -> new ColumnFamilyDescriptor(utf8(n), options.columnFamily()))
          .collect(Collectors.toList());
      RocksDB db = RocksDB.openReadOnly(options.db(), dir.toString(), descriptors, handles);
      return new RocksKvStore(options, db, names, handles, true);
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      options.close();
      throw e instanceof CofferException ce ? ce
          : new CofferException(Reason.STORAGE_FAILURE, "storage open failed", e);
    }
  }

  /**
   * Writes a consistent, openable copy of the database to {@code target} (which must not
   * exist) while writes go on: RocksDB's checkpoint, hard links where the file system
   * allows, copies otherwise. The copy holds whatever had committed when it was taken.
   */
  @Override
  public void checkpoint(Path target) {
    Lock held = enter();
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage checkpoint failed", e);
    } finally {
      held.unlock();
    }
  }

  /** "default", every table, then whatever else the database on disk already has. */
  private static List<String> columnFamilyNames(Path dir) throws RocksDBException {
    Set<String> names = new LinkedHashSet<>();
    names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
    for (Table table : Table.values()) {
      names.add(table.columnFamily());
    }
    if (Files.exists(dir.resolve("CURRENT"))) {
      try (Options listOptions = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
          names.add(new String(name, StandardCharsets.UTF_8));
        }
      }
    }
    return List.copyOf(names);
  }

  @Override
  public Optional<byte[]> get(Table table, byte[] key) {
    ColumnFamilyHandle cf = handle(table);
    Objects.requireNonNull(key, "key");
    Lock held = enter();
    try {
      return Optional.ofNullable(db.get(cf, key));
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage read failed", e);
    } finally {
      held.unlock();
    }
  }

  @Override
  public List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit) {
    ColumnFamilyHandle cf = handle(table);
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit");
    }
    byte[] end = Keys.prefixEnd(prefix);
    byte[] from = seekTarget(prefix, startAfter);
    if (limit == 0 || (end != null && Arrays.compareUnsigned(from, end) >= 0)) {
      return List.of();
    }
    Lock held = enter();
    // Closed in reverse order: the iterator, then the options, then the bound they point to.
    try (Slice upperBound = end == null ? null : new Slice(end);
         ReadOptions read = upperBound == null
             ? new ReadOptions() : new ReadOptions().setIterateUpperBound(upperBound);
         RocksIterator it = db.newIterator(cf, read)) {
      List<KeyValue> page = new ArrayList<>(Math.min(limit, 256));
      // Every key in [prefix, end) starts with prefix, and with no end every key >= prefix
      // does (the prefix is empty or all 0xFF), so no per-key prefix test is needed.
      for (it.seek(from); it.isValid(); it.next()) {
        page.add(new KeyValue(it.key(), it.value()));
        if (page.size() == limit) {
          break; // no step past the page: it could walk deleted keys for nothing
        }
      }
      it.status();
      return page;
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage read failed", e);
    } finally {
      held.unlock();
    }
  }

  /** The prefix, or the smallest key strictly after {@code startAfter} if that is later. */
  private static byte[] seekTarget(byte[] prefix, byte[] startAfter) {
    if (startAfter == null || Arrays.compareUnsigned(startAfter, prefix) < 0) {
      return prefix;
    }
    return Arrays.copyOf(startAfter, startAfter.length + 1); // startAfter + 0x00
  }

  @Override
  public void commit(Changes changes) {
    write(changes, options.syncWrite());
  }

  @Override
  public void commitReplayable(Changes changes) {
    write(changes, options.walWrite());
  }

  private void write(Changes changes, WriteOptions writeOptions) {
    Objects.requireNonNull(changes, "changes");
    refuseIfReadOnly();
    List<Changes.Change> list = changes.list();
    for (Changes.Change change : list) {
      handle(change.table());
      Objects.requireNonNull(change.key(), "key");
    }
    if (list.isEmpty()) {
      return;
    }
    Lock held = enter();
    try (WriteBatch batch = new WriteBatch()) {
      for (Changes.Change change : list) {
        if (change.isDelete()) {
          batch.delete(tables.get(change.table()), change.key());
        } else {
          batch.put(tables.get(change.table()), change.key(), change.value());
        }
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage write failed", e);
    } finally {
      held.unlock();
    }
  }

  /**
   * RocksDB's latest sequence number: it grows by one for every key a committed batch puts or
   * deletes, so tests can prove that a call wrote nothing (or only its audit events).
   */
  @Override
  public long latestSequenceNumber() {
    Lock held = enter();
    try {
      return db.getLatestSequenceNumber();
    } finally {
      held.unlock();
    }
  }

  /** RocksDB's estimate of the number of keys in {@code table} (rocksdb.estimate-num-keys). */
  @Override
  public long estimatedKeys(Table table) {
    return longProperty(handle(table), "rocksdb.estimate-num-keys");
  }

  /** Estimated bytes of live data in all tables (rocksdb.estimate-live-data-size). */
  @Override
  public long liveDataBytes() {
    return longProperty(null, "rocksdb.estimate-live-data-size");
  }

  /** Estimated bytes compaction still has to rewrite, all tables together. */
  @Override
  public long pendingCompactionBytes() {
    return longProperty(null, "rocksdb.estimate-pending-compaction-bytes");
  }

  /**
   * Write-ahead-log writes and syncs since the database was opened, as RocksDB reports them
   * (exact below 10 000, then rounded down to thousands, millions...); -1 when unreported.
   */
  public record WalStatistics(long writes, long syncs) {}

  private static final Pattern WAL_STATS =
      Pattern.compile("Cumulative WAL: (\\d+)([KMG]?) writes, (\\d+)([KMG]?) syncs");

  /** Cumulative WAL writes and syncs (rocksdb.dbstats); group commit shares syncs. */
  @Override
  public WalStatistics walStatistics() {
    Lock held = enter();
    try {
      Matcher m = WAL_STATS.matcher(db.getProperty("rocksdb.dbstats"));
      return m.find() ? new WalStatistics(human(m.group(1), m.group(2)),
          human(m.group(3), m.group(4))) : new WalStatistics(-1, -1);
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage property unavailable", e);
    } finally {
      held.unlock();
    }
  }

  /** Reads RocksDB's NumberToHumanString: digits and an optional K, M or G. */
  private static long human(String digits, String suffix) {
    long scale = switch (suffix) {
      case "K" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      default -> 1L;
    };
    return Long.parseLong(digits) * scale;
  }

  private long longProperty(ColumnFamilyHandle cf, String name) {
    Lock held = enter();
    try {
      return cf == null ? db.getAggregatedLongProperty(name) : db.getLongProperty(cf, name);
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage property unavailable", e);
    } finally {
      held.unlock();
    }
  }

  /**
   * Physically removes what deletes in {@code [from, toExclusive)} of {@code table} left
   * behind: flushes every table's memtable (so the write-ahead-log segments that still
   * held the deleted values become obsolete and are removed) and compacts the range (so no
   * storage file keeps a superseded version). Call after the deletes have committed. Old
   * backups still hold what they held; that is what backup retention is for.
   */
  @Override
  public void purge(Table table, byte[] from, byte[] toExclusive) {
    refuseIfReadOnly();
    ColumnFamilyHandle cf = handle(table);
    Lock held = enter();
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
         CompactRangeOptions compact = new CompactRangeOptions()
             .setBottommostLevelCompaction(
                 CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)) {
      db.flush(flush, allHandles);
      db.compactRange(cf, from, toExclusive, compact);
    } catch (RocksDBException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage purge failed", e);
    } finally {
      held.unlock();
    }
  }

  /** The open database, for other classes of this package (backup, tests); do not close. */
  RocksDB db() {
    return db;
  }

  /** Closes the column families, then the database; flushes nothing extra. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      allHandles.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        throw new CofferException(Reason.STORAGE_FAILURE, "storage close failed", e);
      } finally {
        options.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The column family of {@code table}, for other classes of this package; do not close. */
  ColumnFamilyHandle handle(Table table) {
    return tables.get(Objects.requireNonNull(table, "table"));
  }

  private void refuseIfReadOnly() {
    if (readOnly) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage is open read-only");
    }
  }

  /** Takes the read lock, refusing if closed; the caller unlocks. */
  private Lock enter() {
    Lock read = lock.readLock();
    read.lock();
    if (closed) {
      read.unlock();
      throw new CofferException(Reason.STORAGE_FAILURE, "storage is closed");
    }
    return read;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
