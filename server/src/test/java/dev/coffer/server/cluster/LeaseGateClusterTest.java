package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.Changes;
import dev.coffer.server.testing.LocalVaultCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's side of read leases on a real three-node group (127.0.0.1): a follower that
 * was granted a lease and then died (it commits nothing more) holds every write until the
 * grant lapses, so it cannot have served a read that misses an acknowledged write; the leader
 * grants leases only to followers in the group, never to itself, and none at all in a group
 * created or seeded without {@code --cluster-read-leases}.
 */
class LeaseGateClusterTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;

  @BeforeEach
  void start() {
    cluster = LocalVaultCluster.startWithReadLeases(dir, 3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ClusterNode node(int i) {
    return cluster.vault(i).storage().cluster().orElseThrow();
  }

  /** Whether the leader grants {@code forPeer} a lease (a refusal fails the request). */
  private boolean askForLease(int leader, String forPeer) throws Exception {
    ClusterNode leading = node(leader);
    try (RaftClient client = RaftClient.newBuilder()
        .setRaftGroup(ClusterNode.group(cluster.peers()))
        .setProperties(new RaftProperties()).setParameters(leading.parameters())
        .setRetryPolicy(RetryPolicies.noRetry()).build()) {
      RaftClientReply reply = client.async().sendReadOnlyUnordered(
          LeaseMessages.leaseRequest(forPeer), RaftPeerId.valueOf(leading.config().nodeId()))
          .get(10, TimeUnit.SECONDS);
      return reply.isSuccess();
    } catch (ExecutionException refused) {
      return false;
    }
  }

  @Test
  void aHolderThatDiedAfterItsGrant_holdsWritesUntilTheGrantLapses() throws Exception {
    int leader = cluster.awaitLeader();
    int dead = cluster.aFollower();
    String deadId = node(dead).config().nodeId();
    cluster.stop(dead);
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(FollowerLeases.HOLD_NANOS) + 200);
    node(leader).proposeAndWait(ReplicatedBatch.encode(new Changes())); // its grants lapsed

    // The stopped node's last lease request, arriving just before it died.
    assertTrue(askForLease(leader, deadId), "granted: it was in step");
    long granted = System.nanoTime();
    node(leader).proposeAndWait(ReplicatedBatch.encode(new Changes()));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - granted);
    assertTrue(waitedMillis >= TimeUnit.NANOSECONDS.toMillis(FollowerLeases.HOLD_NANOS) - 100,
        "acknowledged after " + waitedMillis + " ms, while the dead holder's lease could still "
            + "serve reads that miss it");
  }

  @Test
  void aGroupCreatedWithoutReadLeases_grantsNone_andItsFollowersReadThroughReadIndex()
      throws Exception {
    cluster.close();
    cluster = LocalVaultCluster.start(dir.resolve("plain"), 3);
    int leader = cluster.awaitLeader();
    int follower = cluster.aFollower();
    assertFalse(node(follower).readLeases());
    assertFalse(askForLease(leader, node(follower).config().nodeId()));
    long barrierCalls = node(follower).readBarrierCalls();
    for (int i = 0; i < 5; i++) {
      node(follower).readBarrier().get(10, TimeUnit.SECONDS);
      Thread.sleep(ReadLease.RENEW_MILLIS);
    }
    assertEquals(0, node(follower).leaseReads());
    assertEquals(barrierCalls + 5, node(follower).readBarrierCalls());
  }

  @Test
  void aGroupSeededFromALeaseGroupsData_takesItsSeedsMode() throws Exception {
    int leader = cluster.awaitLeader();
    int survivor = cluster.aFollower();
    cluster.awaitCaughtUpWith(leader);
    assertTrue(node(survivor).readLeases(), "the mode replicated to every member");
    cluster.close();
    Files.move(cluster.raftDir(survivor), dir.resolve("raft.lost-group"));
    cluster = LocalVaultCluster.unopened(dir, 3);
    cluster.seed(survivor); // without --cluster-read-leases
    assertFalse(node(survivor).readLeases(), "the backup's mode is not the new group's");
  }

  @Test
  void theLeader_grantsNoLeaseToItself_orToANodeOutsideTheGroup() throws Exception {
    int leader = cluster.awaitLeader();
    assertFalse(askForLease(leader, node(leader).config().nodeId()));
    assertFalse(askForLease(leader, "n9"));
    assertTrue(askForLease(leader, node(cluster.aFollower()).config().nodeId()));
  }
}
