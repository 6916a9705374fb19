package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OwnDivision} on three real Ratis servers (gRPC on 127.0.0.1, RocksDB in a temporary
 * directory), linearizable reads on as a cluster node has them: requests skip the proxy's
 * executor, and the division answers them as the proxy would.
 */
class OwnDivisionTest {

  private static final long WAIT_SECONDS = 30;

  @TempDir Path root;
  private LocalRaftCluster cluster;
  private final ClientId client = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  @BeforeEach
  void startCluster() throws Exception {
    cluster = LocalRaftCluster.start(root, 3, properties -> RaftServerConfigKeys.Read
        .setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void ratissDivisionTakesRequestsItself_soTheyNeedNoExecutorHop() throws Exception {
    cluster.awaitLeader();
    for (int i = 0; i < 3; i++) {
      assertTrue(own(i).direct(), "node " + i + " would go through the proxy's executor");
    }
  }

  @Test
  void anEntryHandedToTheLeadersDivision_isCommittedAndAppliedOnEveryNode() throws Exception {
    int leader = readyLeader();
    RaftClientReply reply = own(leader).submit(write(leader, "s/own", new byte[] {4, 2}))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertTrue(reply.isSuccess(), () -> "refused: " + reply.getException());
    cluster.awaitAllApplied(reply.getLogIndex());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(new byte[] {4, 2},
          cluster.node(i).store.get(Table.SECRETS, utf8("s/own")).orElseThrow());
    }
  }

  @Test
  void aFollowersDivision_refusesAnEntryAsNotLeader_asTheProxyDoes() throws Exception {
    int follower = (readyLeader() + 1) % 3;
    RaftClientReply reply = own(follower).submit(write(follower, "s/no", new byte[] {1}))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertFalse(reply.isSuccess());
    assertInstanceOf(NotLeaderException.class, reply.getException());
    for (int i = 0; i < 3; i++) {
      assertTrue(cluster.node(i).store.get(Table.SECRETS, utf8("s/no")).isEmpty());
    }
  }

  @Test
  void aReadIndexRoundOnAFollower_completesOnlyOnceItHasAppliedTheLeadersCommit()
      throws Exception {
    int leader = readyLeader();
    int follower = (leader + 1) % 3;
    RaftClientReply written = own(leader).submit(write(leader, "s/read", new byte[] {7}))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(written.isSuccess());

    RaftClientReply read = own(follower).submit(read(follower))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertTrue(read.isSuccess(), () -> "refused: " + read.getException());
    assertTrue(cluster.node(follower).machine.getLastAppliedTermIndex().getIndex()
        >= written.getLogIndex(), "the round completed before the write was applied here");
    assertArrayEquals(new byte[] {7},
        cluster.node(follower).store.get(Table.SECRETS, utf8("s/read")).orElseThrow());
  }

  @Test
  void aStoppedNodesDivision_refusesWithAFailedFuture_neverByThrowing() throws Exception {
    int follower = (readyLeader() + 1) % 3;
    OwnDivision stopped = own(follower);
    RaftClientRequest request = read(follower);
    cluster.stop(follower);

    CompletableFuture<RaftClientReply> refused = stopped.submit(request);

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> refused.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, e.getCause());
  }

  /** The leader's index, once it has committed an entry of its term (it takes requests). */
  private int readyLeader() {
    int leader = cluster.indexOf(cluster.awaitLeader());
    LocalRaftCluster.await(() -> cluster.division(leader).getInfo().isLeaderReady(),
        "the leader to be ready");
    return leader;
  }

  private OwnDivision own(int i) {
    return new OwnDivision(cluster.node(i).server, groupId(i));
  }

  private RaftGroupId groupId(int i) {
    return cluster.division(i).getMemberId().getGroupId();
  }

  private RaftClientRequest write(int i, String key, byte[] value) {
    Changes batch = new Changes().put(Table.SECRETS, utf8(key), value);
    return request(i, ReplicatedBatch.message(ReplicatedBatch.encode(batch)),
        RaftClientRequest.writeRequestType());
  }

  private RaftClientRequest read(int i) {
    return request(i, Message.EMPTY, RaftClientRequest.readRequestType());
  }

  private RaftClientRequest request(int i, Message message, RaftClientRequest.Type type) {
    return RaftClientRequest.newBuilder()
        .setClientId(client)
        .setServerId(cluster.node(i).peer.getId())
        .setGroupId(groupId(i))
        .setCallId(callIds.incrementAndGet())
        .setMessage(message)
        .setType(type)
        .build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
