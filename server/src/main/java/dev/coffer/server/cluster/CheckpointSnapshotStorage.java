package dev.coffer.server.cluster;

import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.SwappableRocksStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * The snapshots of one replica: each a RocksDB checkpoint of its store, in a directory
 * {@code snapshot.<term>_<index>} of Ratis's state-machine directory ({@code <raft>/<group>/sm}).
 *
 * <p>Contract: a snapshot directory exists only complete. {@link #take} checkpoints into
 * {@code snapshot.<term>_<index>.tmp} and renames it; a snapshot received from the leader is
 * published by Ratis, which renames its temporary directory over the whole state-machine
 * directory (with a {@code .md5} file per file, which are not part of the database). The
 * latest snapshot is the complete one with the highest index; its files (not the digests) are
 * what Ratis sends a follower, relative to the state-machine directory, so they land at the
 * same relative place there. Their MD5 digests are computed by Ratis while it sends them and
 * checked by the follower, rather than by reading every file at each snapshot here.
 * Exactly one snapshot is kept: taking one deletes every other, so a value deleted and purged
 * from the store leaves the snapshots at the next one (crypto-shredding).
 *
 * <p>Security: snapshots hold what the store holds (sealed values and metadata) and nothing
 * more; nothing here logs or names a key or a value.
 */
public final class CheckpointSnapshotStorage implements StateMachineStorage {

  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final String PARTIAL = ".tmp";

  private final SwappableRocksStore database;
  private volatile File dir;
  private final AtomicReference<FileListSnapshotInfo> latest = new AtomicReference<>();

  /** Snapshots of {@code database}; usable once Ratis has called {@link #init}. */
  public CheckpointSnapshotStorage(SwappableRocksStore database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    dir = raftStorage.getStorageDir().getStateMachineDir().getAbsoluteFile();
    Files.createDirectories(dir.toPath());
    reload();
  }

  /** Finds the latest snapshot again (after Ratis installed one). Null if there is none. */
  public FileListSnapshotInfo reload() throws IOException {
    File d = dir;
    FileListSnapshotInfo found = d == null ? null : findLatest(d.toPath());
    latest.set(found);
    return found;
  }

  @Override
  public FileListSnapshotInfo getLatestSnapshot() {
    return latest.get();
  }

  /** The checkpoint directory of {@code snapshot}, one of this storage's snapshots. */
  public Path checkpointOf(FileListSnapshotInfo snapshot) {
    return requireDir().toPath().resolve(name(snapshot.getTermIndex()));
  }

  /**
   * Checkpoints the store as the snapshot at {@code termIndex} (replacing one at the same
   * term-index), then deletes every other snapshot. The caller guarantees the store holds
   * exactly the entries up to {@code termIndex} while this runs (Ratis's updater thread).
   */
  public FileListSnapshotInfo take(TermIndex termIndex) throws IOException {
    Path sm = requireDir().toPath();
    Path target = sm.resolve(name(termIndex));
    Path partial = sm.resolve(name(termIndex) + PARTIAL);
    deleteRecursively(partial);
    database.checkpoint(partial);
    deleteRecursively(target);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    FileListSnapshotInfo taken = describe(target, termIndex);
    latest.set(taken);
    deleteAllBut(sm, target);
    return taken;
  }

  /**
   * Replaces the database by the latest snapshot's checkpoint if the snapshot is ahead of the
   * applied term-index {@code store} (the database, or a cache over it) holds; true if it did.
   *
   * @throws IOException if the installed checkpoint does not hold the snapshot's term-index
   */
  boolean installLatestIfAhead(KvStore store) throws IOException {
    FileListSnapshotInfo snapshot = latest.get();
    long stored = CofferStateMachine.storedAppliedTermIndex(store)
        .map(TermIndex::getIndex).orElse(-1L);
    if (snapshot == null || snapshot.getIndex() <= stored) {
      return false;
    }
    database.replaceWith(checkpointOf(snapshot));
    Optional<TermIndex> installed = CofferStateMachine.storedAppliedTermIndex(store);
    if (!installed.equals(Optional.of(snapshot.getTermIndex()))) {
      throw new IOException("snapshot " + snapshot.getTermIndex() + " holds applied term-index "
          + installed.map(String::valueOf).orElse("none"));
    }
    return true;
  }

  /** Keeps only the latest snapshot, whatever the policy says (see the class). */
  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    FileListSnapshotInfo current = latest.get();
    if (current != null) {
      deleteAllBut(requireDir().toPath(), checkpointOf(current));
    }
  }

  @Override
  public void format() {
    // a new Raft storage has an empty state-machine directory: nothing to do
  }

  @Override
  public File getSnapshotDir() {
    return dir;
  }

  private File requireDir() {
    File d = dir;
    if (d == null) {
      throw new IllegalStateException("snapshot storage not initialised");
    }
    return d;
  }

  private static String name(TermIndex termIndex) {
    return "snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex();
  }

  private static FileListSnapshotInfo findLatest(Path sm) throws IOException {
    Path best = null;
    TermIndex bestTermIndex = null;
    try (Stream<Path> listing = Files.list(sm)) {
      for (Path p : listing.filter(Files::isDirectory).toList()) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches() && Files.exists(p.resolve("CURRENT"))) {
          TermIndex ti = TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
          if (bestTermIndex == null || ti.getIndex() > bestTermIndex.getIndex()) {
            best = p;
            bestTermIndex = ti;
          }
        }
      }
    }
    return best == null ? null : describe(best, bestTermIndex);
  }

  /** The checkpoint's files (not Ratis's digests), digests left for Ratis to compute. */
  private static FileListSnapshotInfo describe(Path checkpoint, TermIndex termIndex)
      throws IOException {
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(checkpoint)) {
      for (Path p : listing.filter(Files::isRegularFile).sorted().toList()) {
        if (!p.getFileName().toString().endsWith(".md5")) {
          files.add(new FileInfo(p.toAbsolutePath(), null));
        }
      }
    }
    return new FileListSnapshotInfo(files, termIndex);
  }

  /** Deletes every snapshot and partial snapshot in {@code sm} but {@code keep}. */
  private static void deleteAllBut(Path sm, Path keep) throws IOException {
    try (Stream<Path> listing = Files.list(sm)) {
      for (Path p : listing.toList()) {
        String n = p.getFileName().toString();
        if (!p.equals(keep) && n.startsWith("snapshot.")) {
          deleteRecursively(p);
        }
      }
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
