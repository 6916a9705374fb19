package dev.coffer.server.store;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A {@link KvStore} on the {@link RocksKvStore} in one directory that can be replaced, whole,
 * by a RocksDB checkpoint while the store is in use: a cluster node installing a snapshot it
 * received from the leader.
 *
 * <p>Contract: every call runs under a read lock and {@link #replaceWith} under the write
 * lock, so a call sees either the old database or the new one, never a closed one, and no
 * call runs while the files change. Replacing copies the checkpoint beside the directory
 * first ({@code <dir>.incoming}: RocksDB's immutable table files hard-linked where the file
 * system allows, everything else copied and synced), then closes the database, renames the
 * directory to {@code <dir>.previous}, renames the copy into place and opens it; the previous
 * files are deleted only once the new database opened (if it does not open, the previous one
 * is renamed back and reopened). {@link #open} finishes or undoes a replacement a crash
 * interrupted. Listeners registered with {@link #onReplace} (the read cache in front, see
 * {@link CachingKvStore}) run under the write lock, after the new database opened and before
 * any call sees it. The checkpoint itself is left as it was (it is the node's snapshot).
 *
 * <p>Security: it moves sealed bytes only and never puts a key or value in a message; the
 * replaced database's files are deleted, not kept.
 */
public final class SwappableRocksStore implements RocksDatabase {

  private final Path dir;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<Runnable> replaceListeners = new CopyOnWriteArrayList<>();
  private RocksKvStore current; // guarded by lock
  private boolean closed; // guarded by lock

  private SwappableRocksStore(Path dir, RocksKvStore current) {
    this.dir = dir;
    this.current = current;
  }

  /**
   * Opens (creating it if needed) the database in {@code dir}, after finishing or undoing a
   * replacement that a crash interrupted.
   *
   * @throws CofferException STORAGE_FAILURE if it cannot be opened
   */
  public static SwappableRocksStore open(Path dir) {
    Path absolute = Objects.requireNonNull(dir, "dir").toAbsolutePath();
    try {
      recover(absolute);
    } catch (IOException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "storage recovery failed", e);
    }
    return new SwappableRocksStore(absolute, RocksKvStore.open(absolute));
  }

  /** The directory the database lives in. */
  public Path directory() {
    return dir;
  }

  @Override
  public Optional<byte[]> get(Table table, byte[] key) {
    Lock held = enter();
    try {
      return current.get(table, key);
    } finally {
      held.unlock();
    }
  }

  @Override
  public Optional<byte[]> getUncached(Table table, byte[] key) {
    return get(table, key);
  }

  @Override
  public List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit) {
    Lock held = enter();
    try {
      return current.scan(table, prefix, startAfter, limit);
    } finally {
      held.unlock();
    }
  }

  @Override
  public void commit(Changes changes) {
    Lock held = enter();
    try {
      current.commit(changes);
    } finally {
      held.unlock();
    }
  }
  @Override
  public void commitReplayable(Changes changes) {
    Lock held = enter();
    try {
      current.commitReplayable(changes);
    } finally {
      held.unlock();
    }
  }


  @Override
  public void purge(Table table, byte[] from, byte[] toExclusive) {
    Lock held = enter();
    try {
      current.purge(table, from, toExclusive);
    } finally {
      held.unlock();
    }
  }

  /** A consistent copy of the current database in {@code target} (see {@link RocksKvStore#checkpoint}). */
  @Override
  public void checkpoint(Path target) {
    Lock held = enter();
    try {
      current.checkpoint(target);
    } finally {
      held.unlock();
    }
  }

  /** RocksDB's latest sequence number of the current database (see {@link RocksKvStore}). */
  @Override
  public long latestSequenceNumber() {
    return read(RocksKvStore::latestSequenceNumber);
  }

  @Override
  public long estimatedKeys(Table table) {
    return read(db -> db.estimatedKeys(table));
  }

  @Override
  public long liveDataBytes() {
    return read(RocksKvStore::liveDataBytes);
  }

  @Override
  public long pendingCompactionBytes() {
    return read(RocksKvStore::pendingCompactionBytes);
  }

  @Override
  public RocksKvStore.WalStatistics walStatistics() {
    return read(RocksKvStore::walStatistics);
  }

  /**
   * Applies {@code use} to the current database under the read lock (statistics, backups):
   * no replacement runs meanwhile. {@code use} must not keep the database it is given.
   */
  public <T> T read(Function<RocksKvStore, T> use) {
    Lock held = enter();
    try {
      return use.apply(current);
    } finally {
      held.unlock();
    }
  }

  /** Runs {@code listener} after every replacement, under the write lock (see the class). */
  public void onReplace(Runnable listener) {
    replaceListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Replaces the database with a copy of the RocksDB checkpoint in {@code checkpoint} (a
   * directory; files ending in {@code .md5} are Ratis's digests and are not copied). Calls
   * wait meanwhile. On failure the previous database is back in place and open if it can be.
   *
   * @throws CofferException STORAGE_FAILURE if the copy or the new database cannot be opened
   */
  public void replaceWith(Path checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Path incoming = sibling(dir, ".incoming");
    Path previous = sibling(dir, ".previous");
    try {
      deleteRecursively(incoming);
      copyDatabase(checkpoint, incoming);
    } catch (IOException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "snapshot copy failed", e);
    }
    lock.writeLock().lock();
    try {
      if (closed) {
        deleteQuietly(incoming);
        throw new CofferException(Reason.STORAGE_FAILURE, "storage is closed");
      }
      current.close();
      try {
        deleteRecursively(previous);
        Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
        Files.move(incoming, dir, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir.getParent());
      } catch (IOException e) {
        current = reopenPrevious(previous, e);
        throw new CofferException(Reason.STORAGE_FAILURE, "snapshot install failed", e);
      }
      try {
        current = RocksKvStore.open(dir);
      } catch (CofferException e) {
        current = reopenPrevious(previous, e);
        throw e;
      }
      deleteQuietly(previous);
      replaceListeners.forEach(Runnable::run);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Puts {@code previous} back as the directory (if it was moved) and opens it. */
  private RocksKvStore reopenPrevious(Path previous, Exception cause) {
    try {
      if (Files.exists(previous)) {
        deleteRecursively(dir);
        Files.move(previous, dir, StandardCopyOption.ATOMIC_MOVE);
      }
      return RocksKvStore.open(dir);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
      return current; // closed: calls fail with STORAGE_FAILURE until the node restarts
    }
  }

  /** Closes the current database. Idempotent; calls after it fail with STORAGE_FAILURE. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
      current.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private Lock enter() {
    Lock read = lock.readLock();
    read.lock();
    if (closed) {
      read.unlock();
      throw new CofferException(Reason.STORAGE_FAILURE, "storage is closed");
    }
    return read;
  }

  /**
   * After a crash in {@link #replaceWith}: a directory renamed away and not replaced comes
   * back; a replacement that was renamed into place stays (it was complete and synced before).
   */
  private static void recover(Path dir) throws IOException {
    Path incoming = sibling(dir, ".incoming");
    Path previous = sibling(dir, ".previous");
    if (Files.exists(previous) && !Files.exists(dir)) {
      Files.move(previous, dir, StandardCopyOption.ATOMIC_MOVE);
    }
    deleteRecursively(previous);
    deleteRecursively(incoming);
  }

  /** Table and blob files hard-linked (RocksDB never changes them), the others copied. */
  private static void copyDatabase(Path from, Path to) throws IOException {
    if (!Files.exists(from.resolve("CURRENT"))) {
      throw new IOException("the snapshot holds no database");
    }
    Files.createDirectories(to);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(from)) {
      listing.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".md5"))
          .forEach(files::add);
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      Path target = to.resolve(name);
      if (name.endsWith(".sst") || name.endsWith(".blob")) {
        try {
          Files.createLink(target, file);
          continue;
        } catch (FileSystemException | UnsupportedOperationException e) {
          // another file system: copy it
        }
      }
      Files.copy(file, target);
      try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    }
    syncDirectory(to);
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory; the rename is still atomic there
    }
  }

  private static Path sibling(Path dir, String suffix) {
    return dir.resolveSibling(dir.getFileName() + suffix);
  }

  private static void deleteQuietly(Path path) {
    try {
      deleteRecursively(path);
    } catch (IOException e) {
      // left for the next open, which deletes it
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
