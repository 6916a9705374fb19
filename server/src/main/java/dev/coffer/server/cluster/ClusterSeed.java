package dev.coffer.server.cluster;

import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a cluster node's start may do with the data already in its data dir, decided before its
 * Raft server is built: the one place that lets a new Raft log start over an existing vault
 * ({@code --cluster-seed}), and refuses every other mix of a store and a Raft log that do not
 * belong together.
 *
 * <p>Contract ({@link #prepare}): with {@code --cluster-seed} (which {@link ClusterConfig}
 * allows only with {@code --cluster-init} and this node alone in its peers), the store must
 * hold a vault (its keysets) and the Raft dir must hold no log; then, and only then, the
 * store's applied term-index of its old group is deleted, so the new group's log (which starts
 * at index 0) is applied from its first entry, and the caller takes a snapshot as soon as the
 * new group has a leader ({@link #snapshotAtOnce}, from {@code Vault.openClustered}), so a node
 * added later receives the whole vault as that snapshot; a marker file in the Raft dir lives
 * from the first change to that snapshot, so a seed interrupted in between is refused at its
 * next start instead of serving a group whose members could never receive the vault. Nothing
 * else of the store changes: the audit chain goes on from its stored head, and the keysets stay
 * the cluster's (the seed creates none). Without the flag, a store holding a vault under a Raft
 * dir without a log is refused (its data would never reach the peers), and so is a Raft dir
 * that still holds the seed's marker. Every refusal happens before anything is written and
 * names the flag or directory to change.
 *
 * <p>Security: reads only the presence of keysets and the applied index; no key or value is
 * read, logged or put in a message.
 */
public final class ClusterSeed {

  /**
   * A file in the Raft dir (Ratis reads only its directories) that exists from the moment a
   * seed starts changing anything until its first snapshot is taken: a start that finds it was
   * interrupted, and its members could not have received the vault.
   */
  static final String SEEDING_MARKER = "coffer-seed-in-progress";

  private static final byte[] KEYSET_PREFIX = Keys.builder().str("keyset").build();

  private ClusterSeed() {}

  /**
   * Checks {@code store} against {@code config} and the state of the Raft dir
   * ({@code raftLogExists}: it holds anything), and for a seed drops the old applied index.
   *
   * @throws CofferException STORAGE_FAILURE naming the cause; the store is then unchanged
   */
  static void prepare(ClusterConfig config, KvStore store, boolean raftLogExists) {
    Path raftDir = config.raftDir();
    boolean keysets = holdsKeysets(store);
    boolean applied = CofferStateMachine.storedAppliedTermIndex(store).isPresent();
    if (config.seed()) {
      if (raftLogExists) {
        throw refused("--cluster-seed starts a new Raft group, but " + raftDir + " already "
            + "holds a Raft log (of this node's group, or of the group it was in): move it "
            + "aside or give --cluster-dir an empty directory to seed; to restart a seeded node, "
            + "drop --cluster-seed");
      }
      if (!keysets) {
        throw refused("--cluster-seed needs a data dir that holds a vault, and this one holds "
            + "none: check --data-dir (a new cluster starts with --cluster-init alone)");
      }
      try {
        Files.createDirectories(raftDir);
        Files.write(raftDir.resolve(SEEDING_MARKER), "seeding a new group from the data dir\n"
            .getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new CofferException(Reason.STORAGE_FAILURE, "--cluster-seed cannot write to "
            + raftDir, e);
      }
      if (applied) {
        store.commit(new Changes().delete(Table.META, CofferStateMachine.APPLIED_KEY));
      }
      return;
    }
    if (Files.exists(raftDir.resolve(SEEDING_MARKER))) {
      throw refused("the Raft log in " + raftDir + " is a --cluster-seed that stopped before "
          + "its first snapshot, so no member could receive the vault from it: delete "
          + raftDir + " and start again with --cluster-init --cluster-seed");
    }
    if (!raftLogExists && (keysets || applied)) {
      // A new Raft log over existing data: the log would start again at index 0 while the
      // store says it applied far more, and peers starting empty would never receive the
      // data. Refuse rather than diverge (a restored backup, or a Raft dir that was lost).
      throw refused("the data dir holds a vault but " + raftDir + " holds no Raft log: a "
          + "cluster node's data comes from its group. To start a new cluster from this vault "
          + "(a restored backup, a survivor), start this node alone with --cluster-init "
          + "--cluster-seed; otherwise give this node its own Raft log, or an empty data dir "
          + "to join");
    }
  }

  /**
   * The seed's last step, once its group of one has a leader: a snapshot of the whole vault,
   * which Ratis sends first to every member added later (a bootstrapping follower receives
   * the latest snapshot before any entry); then the in-progress marker goes. Ratis takes no
   * snapshot at index 0 (its creation gap counts from 0), so an empty entry is applied first.
   *
   * @throws CofferException if no snapshot could be taken; the marker then stays, and the
   *     next start is refused until the seed is started again from an empty Raft dir
   */
  public static void snapshotAtOnce(ClusterNode node) {
    node.proposeAndWait(ReplicatedBatch.encode(new Changes()));
    long index = node.operations().takeSnapshot();
    if (node.machine().getLatestSnapshot() == null || index < 1) {
      throw refused("--cluster-seed could not take the new group's first snapshot");
    }
    try {
      Files.deleteIfExists(node.config().raftDir().resolve(SEEDING_MARKER));
    } catch (IOException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "the seed's snapshot is taken, but "
          + "the marker in " + node.config().raftDir() + " could not be deleted", e);
    }
  }

  private static boolean holdsKeysets(KvStore store) {
    return !store.scan(Table.META, KEYSET_PREFIX, null, 1).isEmpty();
  }

  private static CofferException refused(String message) {
    return new CofferException(Reason.STORAGE_FAILURE, message);
  }
}
