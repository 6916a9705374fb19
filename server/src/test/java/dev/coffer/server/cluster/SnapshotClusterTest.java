package dev.coffer.server.cluster;

import static dev.coffer.server.cluster.LocalRaftCluster.propose;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots on three real Ratis servers over gRPC on 127.0.0.1 ({@link LocalRaftCluster}),
 * configured by {@link ClusterSnapshots}: taken every {@value #EVERY} entries, the Raft log
 * purged below them, installed on a follower that fell behind the purge, installed at start
 * when the store is behind the node's own snapshot, and free of a deleted, purged value.
 */
class SnapshotClusterTest {

  private static final int EVERY = 20;
  /** Small segments, so that a few entries close one and a purge can delete it. */
  private static final SizeInBytes SEGMENT = SizeInBytes.valueOf("8KB");
  private static final Pattern CLOSED_SEGMENT = Pattern.compile("log_(\\d+)-(\\d+)");

  @TempDir Path root;
  private LocalRaftCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(long autoTriggerEntries) throws IOException {
    cluster = LocalRaftCluster.start(root, 3, properties -> tune(properties, autoTriggerEntries));
  }

  private static void tune(RaftProperties properties, long autoTriggerEntries) {
    ClusterSnapshots.configure(properties, autoTriggerEntries);
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SEGMENT);
  }

  @Test
  void aSnapshotIsTakenEveryNEntriesAndTheLogIsPurgedBelowIt() throws Exception {
    start(EVERY);
    long last = proposeFillers(cluster.newClient(), 0, 5 * EVERY);
    cluster.awaitAllApplied(last);

    for (int i = 0; i < 3; i++) {
      int node = i;
      // settled: fewer than EVERY entries applied since the latest snapshot, none is due
      LocalRaftCluster.await(() -> snapshotIndex(node) > applied(node) - EVERY,
          "node " + i + " to snapshot near " + last);
      SnapshotInfo snapshot = cluster.node(i).machine.getLatestSnapshot();
      Path sm = cluster.nodeDir(i).resolve("raft");
      assertEquals(1, countSnapshotDirectories(sm), "one snapshot kept on node " + i);
      // the checkpoint is a database at exactly the snapshot's term-index
      Path checkpoint = snapshot.getFiles().get(0).getPath().getParent();
      try (RocksKvStore copy = RocksKvStore.openReadOnly(checkpoint)) {
        assertEquals(snapshot.getTermIndex(),
            CofferStateMachine.storedAppliedTermIndex(copy).orElseThrow());
      }
      LocalRaftCluster.await(() -> closedSegmentsEndAbove(node, snapshotIndex(node)),
          "node " + i + " to purge its log below its snapshot");
      assertFalse(segments(i).stream().anyMatch(s -> s.startsWith("log_0-")),
          "the first segment was purged on node " + i + ": " + segments(i));
    }
  }

  @Test
  void aFollowerBackAfterThePurgeCatchesUpThroughAnInstalledSnapshot() throws Exception {
    start(EVERY);
    RaftClient client = cluster.newClient();
    cluster.awaitAllApplied(proposeFillers(client, 0, 5));
    int follower = (cluster.indexOf(cluster.awaitLeader()) + 1) % 3;
    long stoppedAt = cluster.node(follower).machine.getLastAppliedTermIndex().getIndex();
    cluster.stop(follower);

    long last = proposeFillers(client, 5, 8 * EVERY);
    int leader = cluster.indexOf(cluster.awaitLeader());
    LocalRaftCluster.await(
        () -> cluster.division(leader).getRaftLog().getStartIndex() > stoppedAt + 1,
        "the leader to purge the entries the stopped follower lacks");

    cluster.restart(follower);
    cluster.awaitAllApplied(last);
    // and goes on applying entries after it
    cluster.awaitAllApplied(proposeFillers(client, 1_000, 3));
    assertSameOnEveryNode();
    assertTrue(cluster.node(follower).machine.snapshotsInstalled() >= 1,
        "the follower caught up through a snapshot");
  }

  @Test
  void aNodeWhoseStoreIsBehindItsLatestSnapshotInstallsItAtRestart() throws Exception {
    start(1_000_000); // snapshots on request only
    RaftClient client = cluster.newClient();
    cluster.awaitAllApplied(proposeFillers(client, 0, 5));
    int node = (cluster.indexOf(cluster.awaitLeader()) + 1) % 3;
    cluster.stop(node);
    Path store = cluster.nodeDir(node).resolve("store");
    Path stale = root.resolve("stale-store");
    copyTree(store, stale);
    cluster.restart(node);

    long last = proposeFillers(client, 5, 3 * EVERY);
    cluster.awaitAllApplied(last);
    long snapshot = cluster.snapshot(node);
    assertTrue(snapshot >= last, snapshot + " < " + last);
    cluster.stop(node);
    // the store goes back to before the snapshot (as if a crash came between Ratis
    // publishing a received snapshot and the store installing it)
    deleteTree(store);
    copyTree(stale, store);

    cluster.restart(node);
    assertTrue(cluster.node(node).machine.getLastAppliedTermIndex().getIndex() >= snapshot);
    cluster.awaitAllApplied(proposeFillers(client, 1_000, 3));
    assertSameOnEveryNode();
    assertEquals(1, cluster.node(node).machine.snapshotsInstalled());
  }

  @Test
  void aDeletedValuePurgedOnEveryNodeLeavesNoByteInAnyStoreLogOrSnapshot() throws Exception {
    start(1_000_000); // snapshots on request only
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    byte[] key = utf8("shredded");
    RaftClient client = cluster.newClient();
    long put = propose(client, ReplicatedBatch.encode(
        new Changes().put(Table.SECRETS, key, secret))).getLogIndex();
    cluster.awaitAllApplied(proposeFillers(client, 0, 20));
    for (int i = 0; i < 3; i++) {
      cluster.snapshot(i);
    }
    for (int i = 0; i < 3; i++) {
      // the scan finds the value where it is: store, Raft log and snapshot
      assertTrue(filesHolding(cluster.nodeDir(i).resolve("store"), secret).size() > 0);
      assertTrue(filesHolding(cluster.nodeDir(i).resolve("raft"), secret).size() > 0);
    }

    propose(client, ReplicatedBatch.encode(new Changes().delete(Table.SECRETS, key)));
    long last = proposeFillers(client, 20, 20); // closes the segment holding the put
    cluster.awaitAllApplied(last);
    for (int i = 0; i < 3; i++) {
      cluster.node(i).store.purge(Table.SECRETS, key, Arrays.copyOf(key, key.length + 1));
      assertTrue(cluster.snapshot(i) >= last);
    }

    for (int i = 0; i < 3; i++) {
      int node = i;
      LocalRaftCluster.await(() -> cluster.division(node).getRaftLog().getStartIndex() > put,
          "node " + i + " to purge the log entry that put the value");
      assertEquals(List.of(), filesHolding(cluster.nodeDir(i), secret), "node " + i);
    }
  }

  /** Proposes {@code count} batches of a 500-byte value each; returns the last log index. */
  private static long proposeFillers(RaftClient client, int from, int count) throws IOException {
    long last = 0;
    byte[] filler = new byte[500];
    for (int n = from; n < from + count; n++) {
      Arrays.fill(filler, (byte) ('a' + n % 26));
      last = propose(client, ReplicatedBatch.encode(
          new Changes().put(Table.SECRETS, utf8("f/" + n), filler))).getLogIndex();
    }
    return last;
  }

  private long applied(int node) {
    return cluster.node(node).machine.getLastAppliedTermIndex().getIndex();
  }

  private long snapshotIndex(int node) {
    SnapshotInfo s = cluster.node(node).machine.getLatestSnapshot();
    return s == null ? -1 : s.getIndex();
  }

  private List<String> segments(int node) {
    try (Stream<Path> files = Files.list(cluster.raftLogDir(node))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("log_"))
          .sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Every closed segment of the node's log ends above {@code index} (those below are gone). */
  private boolean closedSegmentsEndAbove(int node, long index) {
    for (String segment : segments(node)) {
      Matcher m = CLOSED_SEGMENT.matcher(segment);
      if (m.matches() && Long.parseLong(m.group(2)) <= index) {
        return false;
      }
    }
    return true;
  }

  private static long countSnapshotDirectories(Path raft) throws IOException {
    try (Stream<Path> walk = Files.walk(raft)) {
      return walk.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).count();
    }
  }

  /**
   * Files under {@code dir} whose bytes contain {@code needle}. Ratis may still be purging log
   * segments while the files are read: a walk during which a listed file vanished is run again
   * (a renamed file could have been missed), up to five times.
   */
  private static List<Path> filesHolding(Path dir, byte[] needle) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return filesHoldingOnce(dir, needle);
      } catch (NoSuchFileException vanished) {
        if (attempt == 5) {
          throw vanished;
        }
      }
    }
  }

  private static List<Path> filesHoldingOnce(Path dir, byte[] needle) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (int at = 0; at + needle.length <= bytes.length; at++) {
          if (Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) {
            found.add(file);
            break;
          }
        }
      }
    }
    return found;
  }

  private void assertSameOnEveryNode() {
    for (Table table : Table.values()) {
      List<String> reference = dump(cluster.node(0).store, table);
      for (int i = 1; i < cluster.size(); i++) {
        assertEquals(reference, dump(cluster.node(i).store, table), table + " on node " + i);
      }
    }
    assertArrayEquals(
        CofferStateMachine.encodeTermIndex(
            CofferStateMachine.storedAppliedTermIndex(cluster.node(0).store).orElseThrow()),
        CofferStateMachine.encodeTermIndex(
            CofferStateMachine.storedAppliedTermIndex(cluster.node(1).store).orElseThrow()));
  }

  private static List<String> dump(KvStore store, Table table) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : store.scan(table, new byte[0], null, 10_000)) {
      // the value's length and hash: equal tables compare equal, a failure stays readable
      out.add(HexFormat.of().formatHex(kv.key()) + "=" + kv.value().length + "/"
          + Arrays.hashCode(kv.value()));
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }
}
