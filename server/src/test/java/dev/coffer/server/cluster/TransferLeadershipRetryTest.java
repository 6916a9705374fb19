package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.testing.LocalVaultCluster;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterOperations#transferLeadership}'s retry on a real three-node cluster
 * (127.0.0.1). Under writes Ratis sometimes refuses a hand-over (an entry lands after the
 * transferee's catch-up check and the others refuse it their vote); that race cannot be
 * arranged, so the hand-over Ratis reports is replaced for chosen attempts by the refusal it
 * would send (a failed reply carrying a TransferLeadershipException), and every other attempt
 * is Ratis's own.
 */
class TransferLeadershipRetryTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;
  final AtomicInteger attempts = new AtomicInteger();

  @BeforeEach
  void start() {
    cluster = LocalVaultCluster.start(dir, 3);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ClusterNode node(int i) {
    return cluster.vault(i).storage().cluster().orElseThrow();
  }

  /** Ratis's hand-over, except that attempts up to {@code refused} are refused. */
  private ClusterOperations refusing(int leader, int refused) {
    return new ClusterOperations(node(leader), (client, to) -> {
      if (attempts.incrementAndGet() <= refused) {
        return refusal(client);
      }
      return ClusterOperations.RATIS.send(client, to);
    });
  }

  private static RaftClientReply refusal(RaftClient client) {
    return RaftClientReply.newBuilder().setClientId(client.getId())
        .setServerId(RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n0"), ClusterNode.GROUP_ID))
        .setCallId(1).setSuccess(false)
        .setException(new TransferLeadershipException("the transferee was refused its votes"))
        .build();
  }

  @Test
  void aRefusedHandOver_isTriedAgain_andTheNextOneMovesLeadership() {
    int leader = cluster.awaitLeader();
    String target = "n" + ((leader + 1) % 3);
    assertEquals(target, refusing(leader, 1).transferLeadership(Optional.of(target)));
    assertEquals(2, attempts.get(), "one refusal, then Ratis's hand-over");
    LocalVaultCluster.await(() -> node((leader + 1) % 3).isLeader(), target + " to lead");
  }

  @Test
  void handOversRefusedEveryTime_giveUpAfterTheAttempts_andLeadershipStays() {
    int leader = cluster.awaitLeader();
    String target = "n" + ((leader + 1) % 3);
    CofferException refused = assertThrows(CofferException.class,
        () -> refusing(leader, Integer.MAX_VALUE).transferLeadership(Optional.of(target)));
    assertEquals(Reason.CLUSTER_CHANGE_REFUSED, refused.reason());
    assertEquals(ClusterOperations.TRANSFER_ATTEMPTS, attempts.get());
    assertEquals(leader, cluster.awaitLeader(), "no hand-over happened");
  }

  /**
   * An untargeted transfer asks only that leadership leave the old leader: a refused hand-over
   * after which another voter won the election is done, not tried again.
   */
  @Test
  void anUntargetedTransfer_thatEndsWithAnotherLeaderDespiteARefusal_isDone() {
    int leader = cluster.awaitLeader();
    int other = (leader + 2) % 3;
    ClusterOperations operations = new ClusterOperations(node(leader), (client, to) -> {
      attempts.incrementAndGet();
      // Ratis elects a voter other than the one asked, then reports the hand-over refused
      ClusterOperations.RATIS.send(client, "n" + other);
      return refusal(client);
    });
    assertEquals("n" + other, operations.transferLeadership(Optional.empty()));
    assertEquals(1, attempts.get());
  }
}
