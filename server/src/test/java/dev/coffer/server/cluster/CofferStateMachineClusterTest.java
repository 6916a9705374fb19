package dev.coffer.server.cluster;

import static dev.coffer.server.cluster.LocalRaftCluster.propose;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.SwappableRocksStore;
import dev.coffer.server.store.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@link CofferStateMachine} replicas, each on its own RocksDB, in one JVM over gRPC on
 * 127.0.0.1: what a client proposes through Raft is applied identically on every node.
 */
class CofferStateMachineClusterTest {

  @TempDir Path root;
  private LocalRaftCluster cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = LocalRaftCluster.start(root, 3);
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void aBatchProposedThroughAClientIsAppliedAndEqualOnAllThreeNodes() throws Exception {
    RaftClient client = cluster.newClient();
    Changes batch = new Changes()
        .expect(Table.SECRETS, utf8("s/1"), null)
        .put(Table.SECRETS, utf8("s/1"), new byte[] {1, 2, 3})
        .put(Table.AUDIT, utf8("a/1"), utf8("event"))
        .put(Table.META, utf8("head"), utf8("h1"));
    RaftClientReply reply = propose(client, ReplicatedBatch.encode(batch));

    assertTrue(reply.isSuccess());
    assertEquals(ApplyOutcome.APPLIED, outcome(reply));
    cluster.awaitAllApplied(reply.getLogIndex());
    for (int i = 0; i < 3; i++) {
      SwappableRocksStore store = cluster.node(i).store;
      assertArrayEquals(new byte[] {1, 2, 3}, store.get(Table.SECRETS, utf8("s/1")).orElseThrow());
      assertArrayEquals(utf8("event"), store.get(Table.AUDIT, utf8("a/1")).orElseThrow());
      assertArrayEquals(utf8("h1"), store.get(Table.META, utf8("head")).orElseThrow());
    }
    assertSameOnEveryNode();
  }

  @Test
  void twoBatchesRacingOnOneExpectationApplyExactlyOnceOnEveryNode() throws Exception {
    RaftClient first = cluster.newClient();
    RaftClient second = cluster.newClient();
    CompletableFuture<RaftClientReply> a =
        first.async().send(ReplicatedBatch.message(claim("owner-a")));
    CompletableFuture<RaftClientReply> b =
        second.async().send(ReplicatedBatch.message(claim("owner-b")));
    RaftClientReply replyA = a.get();
    RaftClientReply replyB = b.get();

    List<ApplyOutcome> outcomes = List.of(outcome(replyA), outcome(replyB));
    assertEquals(1, outcomes.stream().filter(o -> o.equals(ApplyOutcome.APPLIED)).count(),
        outcomes.toString());
    assertTrue(outcomes.contains(ApplyOutcome.expectationFailed(0, Table.SECRETS)),
        outcomes.toString());
    String winner = outcome(replyA).equals(ApplyOutcome.APPLIED) ? "owner-a" : "owner-b";
    cluster.awaitAllApplied(Math.max(replyA.getLogIndex(), replyB.getLogIndex()));
    for (int i = 0; i < 3; i++) {
      SwappableRocksStore store = cluster.node(i).store;
      assertArrayEquals(utf8(winner), store.get(Table.SECRETS, utf8("lock")).orElseThrow());
      assertTrue(store.get(Table.INDEX, utf8("by/" + winner)).isPresent());
      assertEquals(1, store.scan(Table.INDEX, utf8("by/"), null, 10).size());
    }
    assertSameOnEveryNode();
  }

  @Test
  void aRestartedNodeRecoversItsAppliedIndexFromItsStoreAndCatchesUp() throws Exception {
    RaftClient client = cluster.newClient();
    long last = 0;
    for (int n = 0; n < 5; n++) {
      last = propose(client, ReplicatedBatch.encode(counter(n))).getLogIndex();
    }
    cluster.awaitAllApplied(last);
    int stopped = (cluster.indexOf(cluster.awaitLeader()) + 1) % 3; // a follower
    Optional<TermIndex> beforeStop =
        CofferStateMachine.storedAppliedTermIndex(cluster.node(stopped).store);
    assertEquals(last, beforeStop.orElseThrow().getIndex());
    long keysWrittenBeforeStop = cluster.node(stopped).store.latestSequenceNumber();
    cluster.stop(stopped);

    // the two others are a majority: writes go on while the third is down
    for (int n = 5; n < 10; n++) {
      RaftClientReply reply = propose(client, ReplicatedBatch.encode(counter(n)));
      assertEquals(ApplyOutcome.APPLIED, outcome(reply));
      last = reply.getLogIndex();
    }
    cluster.restart(stopped);
    TermIndex restored = cluster.node(stopped).machine.getLastAppliedTermIndex();
    assertTrue(restored.compareTo(beforeStop.get()) >= 0, restored + " < " + beforeStop);
    cluster.awaitAllApplied(last);

    SwappableRocksStore store = cluster.node(stopped).store;
    // only the five missed batches were applied (a put and the applied index each): none of
    // the entries it had applied before the stop ran again
    assertEquals(keysWrittenBeforeStop + 5 * 2, store.latestSequenceNumber());
    for (int n = 0; n < 10; n++) {
      assertArrayEquals(utf8("v" + n), store.get(Table.SECRETS, utf8("c/" + n)).orElseThrow());
    }
    assertSameOnEveryNode();
  }

  @Test
  void theLeaderRefusesAMalformedBatchBeforeItReachesTheLogOrAnyStore() throws Exception {
    RaftClient client = cluster.newClient();
    cluster.awaitAllApplied(propose(client, ReplicatedBatch.encode(counter(0))).getLogIndex());
    long[] before = new long[3];
    for (int i = 0; i < 3; i++) {
      before[i] = cluster.node(i).store.latestSequenceNumber();
    }
    byte[] garbage = {ReplicatedBatch.FORMAT_VERSION, 0, 0, 0, 9};
    String refusal;
    try {
      RaftClientReply reply = propose(client, garbage);
      assertFalse(reply.isSuccess(), "a malformed batch was accepted");
      refusal = String.valueOf(reply.getException());
    } catch (IOException e) {
      refusal = e.toString();
    }
    assertTrue(refusal.contains("replicated_batch"), refusal);
    assertFalse(refusal.contains("Message:\u0001"), "the refusal shows no entry bytes: " + refusal);

    long next = propose(client, ReplicatedBatch.encode(counter(1))).getLogIndex();
    cluster.awaitAllApplied(next);
    for (int i = 0; i < 3; i++) {
      // the next batch's put and applied index only: the refused one was never applied
      assertEquals(before[i] + 2, cluster.node(i).store.latestSequenceNumber(), "node " + i);
    }
    assertSameOnEveryNode();
  }

  /**
   * A proposal carries until when a leader may take it: a live one is appended as its entry
   * alone (the envelope is never in the log), one whose deadline has passed is refused before
   * the log, whichever client sends it, and nothing of it reaches any store.
   */
  @Test
  void theLeaderAppendsALiveProposalsEntryAlone_andRefusesAnExpiredOneBeforeTheLog()
      throws Exception {
    RaftClient client = cluster.newClient();
    byte[] live = ReplicatedBatch.encode(counter(0));
    RaftClientReply reply = client.io().send(
        ReplicatedBatch.proposal(live, System.currentTimeMillis() + 60_000));
    assertTrue(reply.isSuccess());
    cluster.awaitAllApplied(reply.getLogIndex());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(live, cluster.division(i).getRaftLog().get(reply.getLogIndex())
          .getStateMachineLogEntry().getLogData().toByteArray(), "node " + i + "'s log entry");
    }
    long[] before = new long[3];
    for (int i = 0; i < 3; i++) {
      before[i] = cluster.node(i).store.latestSequenceNumber();
    }

    String refusal;
    try {
      RaftClientReply late = client.io().send(ReplicatedBatch.proposal(
          ReplicatedBatch.encode(counter(1)), System.currentTimeMillis() - 1));
      assertFalse(late.isSuccess(), "an expired proposal was taken");
      refusal = String.valueOf(late.getException());
    } catch (IOException e) {
      refusal = e.toString();
    }
    assertTrue(refusal.contains(CofferStateMachine.EXPIRED), refusal);
    assertEquals(Reason.CALL_DEADLINE_PASSED, ClusterNode.refusal(new Exception(refusal)).reason());

    long next = propose(client, ReplicatedBatch.encode(counter(2))).getLogIndex();
    cluster.awaitAllApplied(next);
    for (int i = 0; i < 3; i++) {
      assertEquals(before[i] + 2, cluster.node(i).store.latestSequenceNumber(),
          "node " + i + ": the next batch's put and applied index only; the expired one was "
          + "never applied");
    }
    assertSameOnEveryNode();
  }

  /**
   * Proposes batches one after another and prints the mean time per replicated batch (an
   * entry's Raft round alone, as docs/performance/2026-12-07-cluster-read-write-path.md
   * quotes it); asserts only that every batch applied.
   */
  @Test
  void sequentialBatchesAllApplyOnEveryNode() throws Exception {
    RaftClient client = cluster.newClient();
    propose(client, ReplicatedBatch.encode(counter(-1))); // warm the connections
    int batches = 200;
    long last = 0;
    long started = System.nanoTime();
    for (int n = 0; n < batches; n++) {
      RaftClientReply reply = propose(client, ReplicatedBatch.encode(counter(n)));
      assertEquals(ApplyOutcome.APPLIED, outcome(reply));
      last = reply.getLogIndex();
    }
    long micros = (System.nanoTime() - started) / 1_000 / batches;
    System.out.println("cluster: " + batches + " sequential replicated batches, mean "
        + micros + " us per batch (3 nodes, one JVM, 127.0.0.1)");
    cluster.awaitAllApplied(last);
    assertEquals(batches + 1, cluster.node(0).store.scan(Table.SECRETS, utf8("c/"), null,
        batches + 10).size());
    assertSameOnEveryNode();
  }

  /** Claims the lock key only if nobody holds it, with an index entry naming the owner. */
  private static Changes claim(String owner) {
    return new Changes().expect(Table.SECRETS, utf8("lock"), null)
        .put(Table.SECRETS, utf8("lock"), utf8(owner))
        .put(Table.INDEX, utf8("by/" + owner), new byte[0]);
  }

  private static Changes counter(int n) {
    return new Changes().expect(Table.SECRETS, utf8("c/" + n), null)
        .put(Table.SECRETS, utf8("c/" + n), utf8("v" + n));
  }

  private static ApplyOutcome outcome(RaftClientReply reply) {
    assertTrue(reply.isSuccess(), () -> "reply failed: " + reply.getException());
    return ApplyOutcome.decode(reply.getMessage().getContent().toByteArray());
  }

  /**
   * Every table holds the same entries on every node, and every node stored the same
   * applied term-index (the nodes have applied the same entries by then).
   */
  private void assertSameOnEveryNode() {
    for (Table table : Table.values()) {
      List<String> reference = dump(cluster.node(0).store, table);
      for (int i = 1; i < cluster.size(); i++) {
        assertEquals(reference, dump(cluster.node(i).store, table), table + " on node " + i);
      }
    }
  }

  private static List<String> dump(SwappableRocksStore store, Table table) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : store.scan(table, new byte[0], null, 10_000)) {
      out.add(HexFormat.of().formatHex(kv.key()) + "=" + HexFormat.of().formatHex(kv.value()));
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }
}
