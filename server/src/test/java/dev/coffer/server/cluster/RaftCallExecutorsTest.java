package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.testing.LocalVaultCluster;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.grpc.AdminProtocolServiceGrpc;
import org.apache.ratis.proto.grpc.RaftClientProtocolServiceGrpc;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only a follower's ReadIndex request runs on the Raft port's transport thread; every call that
 * may wait on a lock or a disk runs on the pool.
 */
class RaftCallExecutorsTest {

  @TempDir Path dir;

  /**
   * The nodes of a real cluster install it: each follower takes the leader's log appends on its
   * own pool (a leader may take no call on its pool at all: nobody calls it when it won its
   * election unopposed and no follower forwards a write).
   */
  @Test
  void everyFollowerOfACluster_takesTheLeadersAppendsOnItsPool() throws Exception {
    // threads of an earlier test's nodes (same ids) may still be ending: only new ones count
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (LocalVaultCluster cluster = LocalVaultCluster.start(dir, 3)) {
      int leader = cluster.awaitLeader();
      for (int i = 1; i < 3; i++) {
        int follower = (leader + i) % 3;
        cluster.vault(follower).storage().cluster().orElseThrow().readBarrier()
            .get(10, TimeUnit.SECONDS);
        LocalVaultCluster.await(() -> Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> !before.contains(t)
                && t.getName().startsWith("coffer-raft-call-n" + follower + "-")),
            "follower n" + follower + " to take a Raft call on its pool");
      }
    }
  }

  @Test
  void readIndex_runsOnTheTransportThread() {
    try (RaftCallExecutors executors = new RaftCallExecutors("n0")) {
      assertEquals("ratis.grpc.RaftServerProtocolService/readIndex", RaftCallExecutors.READ_INDEX);
      assertNull(executors.executorFor(RaftCallExecutors.READ_INDEX));
    }
  }

  @Test
  void everyOtherRaftCall_runsOnTheNodesPool() throws Exception {
    try (RaftCallExecutors executors = new RaftCallExecutors("n0")) {
      for (String method : new String[] {
          RaftServerProtocolServiceGrpc.getAppendEntriesMethod().getFullMethodName(),
          RaftServerProtocolServiceGrpc.getInstallSnapshotMethod().getFullMethodName(),
          RaftServerProtocolServiceGrpc.getRequestVoteMethod().getFullMethodName(),
          RaftClientProtocolServiceGrpc.getOrderedMethod().getFullMethodName(),
          AdminProtocolServiceGrpc.getSetConfigurationMethod().getFullMethodName()}) {
        Executor executor = executors.executorFor(method);
        assertNotNull(executor, method);
        CompletableFuture<String> thread = CompletableFuture.supplyAsync(
            () -> Thread.currentThread().getName(), executor);
        String name = thread.get(5, TimeUnit.SECONDS);
        assertTrue(name.startsWith("coffer-raft-call-n0-"), method + " ran on " + name);
      }
    }
  }
}
