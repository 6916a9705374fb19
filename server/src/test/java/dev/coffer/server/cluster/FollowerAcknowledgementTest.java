package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.config.HostPort;
import dev.coffer.server.testing.FreePorts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower started with a cluster node's Raft properties acknowledges only entries it holds
 * on disk. A leader that loses its stream to a follower sends again from the follower's next
 * index, often a longer batch than the one still being appended; Ratis 3.3.0's composed append
 * path ({@code raft.server.log.append-entries.compose.enabled}, on by default) answered such a
 * batch SUCCESS up to its last entry while appending only the shorter one. The leader then
 * believed the follower held entries it did not: a node of a failover test stayed 20 entries
 * behind for good (every heartbeat refused, the leader never sending the gap), and an
 * acknowledgement counted towards a majority could name an entry on no disk. Here the test
 * plays the leader: it sends the follower a batch and, at once, a longer one from the same
 * index, and checks every SUCCESS against the follower's flushed log.
 */
class FollowerAcknowledgementTest {

  private static final RaftPeerId LEADER = RaftPeerId.valueOf("l");
  private static final RaftPeerId FOLLOWER = RaftPeerId.valueOf("f");
  private static final int ROUNDS = 10;

  @TempDir Path dir;
  private long callId;

  @Test
  void aLongerBatchSentAgainFromTheSameIndex_isAcknowledgedOnlyOnceItIsOnDisk() throws Exception {
    List<Integer> ports = FreePorts.distinct(2);
    HostPort self = new HostPort("127.0.0.1", ports.get(0));
    HostPort leader = new HostPort("127.0.0.1", ports.get(1)); // never started: the test is it
    ClusterConfig config = new ClusterConfig(FOLLOWER.toString(), self,
        Map.of(FOLLOWER.toString(), self, LEADER.toString(), leader), false,
        dir.resolve("raft"), Optional.empty(), false, false);
    RaftGroup group = ClusterNode.group(config.peers());
    try (RaftServer server = RaftServer.newBuilder().setServerId(FOLLOWER).setGroup(group)
        .setStateMachine(new BaseStateMachine())
        // The test plays the leader: a long election timeout keeps the follower from
        // campaigning between its batches on a busy machine.
        .setProperties(ClusterNode.properties(config,
            ClusterTimeouts.DEFAULTS.withElectionTimeout(10_000)))
        .setOption(StartupOption.FORMAT).build()) {
      server.start();
      RaftLog log = server.getDivision(group.getGroupId()).getRaftLog();
      AppendEntriesReplyProto first = server.appendEntriesAsync(request(group, null, 0, 1))
          .get(10, TimeUnit.SECONDS);
      assertEquals(AppendResult.SUCCESS, first.getResult());

      for (int round = 0; round < ROUNDS; round++) {
        long from = 1 + round * 30L;
        TermIndex previous = TermIndex.valueOf(1, from - 1);
        CompletableFuture<AppendEntriesReplyProto> shorter =
            server.appendEntriesAsync(request(group, previous, from, 10));
        CompletableFuture<AppendEntriesReplyProto> longer =
            server.appendEntriesAsync(request(group, previous, from, 30));
        for (AppendEntriesReplyProto reply : List.of(shorter.get(10, TimeUnit.SECONDS),
            longer.get(10, TimeUnit.SECONDS))) {
          assertEquals(AppendResult.SUCCESS, reply.getResult(), "round " + round);
          long flushed = log.getFlushIndex();
          assertTrue(reply.getMatchIndex() <= flushed, "round " + round + ": acknowledged up to "
              + reply.getMatchIndex() + " with the log flushed up to " + flushed);
        }
      }
      assertEquals(ROUNDS * 30L, log.getLastEntryTermIndex().getIndex());
    }
  }

  /** Entries {@code from} .. {@code from + count - 1} of term 1, as the leader would send. */
  private AppendEntriesRequestProto request(RaftGroup group, TermIndex previous, long from,
      int count) {
    AppendEntriesRequestProto.Builder request = AppendEntriesRequestProto.newBuilder()
        .setServerRequest(RaftRpcRequestProto.newBuilder()
            .setRequestorId(LEADER.toByteString()).setReplyId(FOLLOWER.toByteString())
            .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(group.getGroupId().toByteString())).setCallId(callId++))
        .setLeaderTerm(1).setLeaderCommit(0);
    if (previous != null) {
      request.setPreviousLog(previous.toProto());
    }
    for (long index = from; index < from + count; index++) {
      request.addEntries(LogEntryProto.newBuilder().setTerm(1).setIndex(index)
          .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
              .setClientId(ByteString.copyFrom(new byte[16])).setCallId(index)
              .setLogData(ByteString.copyFromUtf8("entry " + index))));
    }
    return request.build();
  }
}
