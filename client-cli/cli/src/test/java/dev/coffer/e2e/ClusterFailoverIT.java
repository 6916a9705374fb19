package dev.coffer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.ExportAuditEventsRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.VerifyAuditChainRequest;
import dev.coffer.api.v1.VerifyAuditChainResponse;
import dev.coffer.client.CofferClient;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of real server processes in a three-node cluster on 127.0.0.1 (issue 18, "Proof"):
 * the leader killed with SIGKILL under a bounded write load, five times; a follower killed and
 * brought back behind; a minority left alone. After each, every acknowledged write is on every
 * node, the audit chain verifies on every node and is the same chain on each.
 *
 * <p>The unavailability after each leader kill (last acknowledged write before the kill, first
 * acknowledged write of a call started after it), at the default election timeout, is printed,
 * not asserted: figures belong in
 * docs/performance, the tests only bound their waits.
 */
class ClusterFailoverIT {

  private static final int LEADER_KILLS = 5;
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  @Timeout(240)
  void leaderKilledFiveTimesUnderLoad_losesNoAcknowledgedWrite_andForksNothing()
      throws Exception {
    try (ClusterProcesses cluster = ClusterProcesses.start(dir)) {
      for (int i = 0; i < ClusterProcesses.SIZE; i++) {
        assertTrue(cluster.log(i).contains("election timeout 500-1000 ms"),
            "the figures printed below are at the default election timeout\n" + cluster.log(i));
      }
      String clientId = application(cluster);
      List<Long> unavailableMillis = new ArrayList<>();
      ClusterWriteLoad load = ClusterWriteLoad.start(cluster, clientId, 4, 20_000,
          Duration.ofSeconds(150));
      try {
        for (int round = 0; round < LEADER_KILLS; round++) {
          int leader = cluster.awaitLeader(Duration.ofSeconds(30));
          assertTrue(load.awaitAcks(load.ackCount() + 40, Duration.ofSeconds(30)),
              "writes are acknowledged before kill " + round + "\n" + cluster.logs());
          Instant kill = Instant.now();
          load.nodeDown(leader);
          cluster.kill(leader);
          ClusterWriteLoad.Ack first = load.awaitFirstSentAfter(kill, Duration.ofSeconds(30));
          assertNotNull(first, "a write started after killing leader " + ClusterProcesses.id(
              leader) + " is acknowledged within 30 s\n" + cluster.logs());
          ClusterWriteLoad.Ack last = load.lastAckedBefore(kill);
          cluster.awaitLeader(Duration.ofSeconds(30)); // elected by the two others
          unavailableMillis.add(Duration.between(last.acked(), first.acked()).toMillis());
          cluster.restart(leader);
          load.nodeUp(cluster, leader);
        }
        assertTrue(load.awaitAcks(load.ackCount() + 40, Duration.ofSeconds(30)),
            "writes go on with every node back");
      } finally {
        load.close();
      }
      System.out.printf("ClusterFailoverIT: %d writes acknowledged, %d failed; unavailability "
          + "after each leader kill (ms): %s%n", load.ackCount(), load.failures(),
          unavailableMillis);
      assertEveryAckOnEveryNode(cluster, clientId, load.acked());
      assertSameVerifiedAuditChain(cluster);
    }
  }

  @Test
  @Timeout(180)
  void followerKilled_catchesUpOnRestart_andAMinorityCannotAcknowledge() throws Exception {
    try (ClusterProcesses cluster = ClusterProcesses.start(dir)) {
      String clientId = application(cluster);
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      int follower = (leader + 1) % ClusterProcesses.SIZE;
      cluster.kill(follower);
      ClusterWriteLoad load = ClusterWriteLoad.start(cluster, clientId, 4, 200,
          Duration.ofSeconds(60));
      try {
        assertTrue(load.awaitAcks(200, Duration.ofSeconds(60)),
            "two of three nodes acknowledge every write; first failure: " + load.firstFailure()
                + "\n" + cluster.logs());
      } finally {
        load.close();
      }
      cluster.restart(follower);
      assertTrue(cluster.awaitHealth(follower, ServingStatus.SERVING, Duration.ofSeconds(30)),
          "the restarted follower serves once caught up");
      assertEveryAckOnEveryNode(cluster, clientId, load.acked());

      // A minority: the leader and one follower killed, one node left.
      leader = cluster.awaitLeader(Duration.ofSeconds(30));
      int survivor = (leader + 1) % ClusterProcesses.SIZE;
      int other = (leader + 2) % ClusterProcesses.SIZE;
      cluster.kill(leader);
      cluster.kill(other);
      try (CofferClient c = cluster.client(survivor, Duration.ofSeconds(5))) {
        assertThrows(StatusRuntimeException.class, () -> c.secrets().createSecret(
            CreateSecretRequest.newBuilder().setParent("applications/" + clientId)
                .setDisplayName("minority").setLocation("/").setVaulted(true)
                .setPreapproveOwner(true).build()),
            "one node of three does not acknowledge a write");
      }
      assertTrue(cluster.awaitHealth(survivor, ServingStatus.NOT_SERVING,
          Duration.ofSeconds(30)), "a node without quorum says NOT_SERVING");
      cluster.restart(other);
      cluster.restart(leader);
      cluster.awaitLeader(Duration.ofSeconds(30));
      // Not acknowledged, and its 5 s deadline passed long before quorum returned: the
      // survivor's Raft client may still be resending its entry, but a leader refuses an entry
      // whose deadline has passed, so the write is on no node.
      Map<String, Secret> first = null;
      for (int i = 0; i < ClusterProcesses.SIZE; i++) {
        assertTrue(cluster.awaitHealth(i, ServingStatus.SERVING, Duration.ofSeconds(30)));
      }
      Instant deadline = Instant.now().plus(CONVERGE);
      boolean same = false;
      while (!same && Instant.now().isBefore(deadline)) {
        List<Long> minority = new ArrayList<>();
        for (int i = 0; i < ClusterProcesses.SIZE; i++) {
          minority.add(list(cluster, i, clientId).values().stream()
              .filter(s -> s.getDisplayName().equals("minority")).count());
        }
        same = minority.stream().distinct().count() == 1;
        if (!same) {
          Thread.sleep(200);
        } else {
          assertEquals(0L, minority.get(0), "the write whose deadline passed is on every node");
        }
      }
      assertTrue(same, "every node has the same outcome of the unacknowledged write");
      assertEveryAckOnEveryNode(cluster, clientId, load.acked());
      assertSameVerifiedAuditChain(cluster);
    }
  }

  /** Creates the application the load writes into; returns its client id. */
  private static String application(ClusterProcesses cluster) {
    try (CofferClient c = cluster.client(0, Duration.ofSeconds(20))) {
      return c.applications().createApplication(CreateApplicationRequest.newBuilder()
          .setClientName("failover").setEnvironment("test")
          .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getClientId();
    }
  }

  /** Every secret of the application as node {@code i} lists it (a local read). */
  private static Map<String, Secret> list(ClusterProcesses cluster, int i, String clientId) {
    Map<String, Secret> all = new HashMap<>();
    try (CofferClient c = cluster.client(i, Duration.ofSeconds(20))) {
      String token = "";
      for (int page = 0; page < 1000; page++) {
        ListSecretsResponse r = c.secrets().listSecrets(ListSecretsRequest.newBuilder()
            .setParent("applications/" + clientId).setPageSize(1000).setPageToken(token).build());
        r.getSecretsList().forEach(s -> all.put(s.getSecretId(), s));
        token = r.getNextPageToken();
        if (token.isEmpty()) {
          return all;
        }
      }
    }
    throw new IllegalStateException("more than 1000 pages");
  }

  /**
   * Waits (bounded) until every node lists the same secrets and they include every
   * acknowledged one; then reveals a sample of them on every node.
   */
  private static void assertEveryAckOnEveryNode(ClusterProcesses cluster, String clientId,
      Map<String, ClusterWriteLoad.Ack> acked) throws InterruptedException {
    Instant deadline = Instant.now().plus(CONVERGE);
    List<Map<String, Secret>> views = new ArrayList<>();
    boolean converged = false;
    while (!converged && Instant.now().isBefore(deadline)) {
      views.clear();
      for (int i = 0; i < ClusterProcesses.SIZE; i++) {
        views.add(list(cluster, i, clientId));
      }
      converged = views.stream().allMatch(v -> v.keySet().equals(views.get(0).keySet())
          && v.keySet().containsAll(acked.keySet()));
      if (!converged) {
        Thread.sleep(250);
      }
    }
    for (int i = 0; i < ClusterProcesses.SIZE; i++) {
      int node = i;
      List<String> missing = acked.keySet().stream()
          .filter(id -> !views.get(node).containsKey(id)).toList();
      assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())),
          missing.size() + " acknowledged writes missing on " + ClusterProcesses.id(i));
      assertEquals(views.get(0).keySet(), views.get(i).keySet(),
          ClusterProcesses.id(i) + " lists the same secrets as n0");
    }
    List<ClusterWriteLoad.Ack> sample = acked.values().stream().limit(5).toList();
    for (int i = 0; i < ClusterProcesses.SIZE; i++) {
      try (CofferClient c = cluster.client(i, Duration.ofSeconds(20))) {
        for (ClusterWriteLoad.Ack ack : sample) {
          assertEquals(ack.value(), c.secrets().revealSecret(RevealSecretRequest.newBuilder()
              .setName("secrets/" + ack.secretId()).build()).getValue(),
              "an acknowledged value decrypts on " + ClusterProcesses.id(i));
        }
      }
    }
  }

  /**
   * The chain verifies on every node, and every node holds the same events (sequence, hash
   * of the previous event, action, target) up to a moment after the writes ended: one chain,
   * no fork. Waits (bounded) for followers to apply the last events.
   */
  private static void assertSameVerifiedAuditChain(ClusterProcesses cluster)
      throws InterruptedException {
    Instant until = Instant.now();
    Thread.sleep(50);
    for (int i = 0; i < ClusterProcesses.SIZE; i++) {
      try (CofferClient c = cluster.client(i, Duration.ofSeconds(60))) {
        VerifyAuditChainResponse v = c.audit().verifyAuditChain(
            VerifyAuditChainRequest.getDefaultInstance());
        assertTrue(v.getIntact(), ClusterProcesses.id(i) + ": " + v.getFirstBreak());
        assertTrue(v.getEventsChecked() > 0);
      }
    }
    Instant deadline = Instant.now().plus(CONVERGE);
    List<List<String>> chains = new ArrayList<>();
    boolean same = false;
    while (!same && Instant.now().isBefore(deadline)) {
      chains.clear();
      for (int i = 0; i < ClusterProcesses.SIZE; i++) {
        chains.add(chainUntil(cluster, i, until));
      }
      same = chains.stream().distinct().count() == 1;
      if (!same) {
        Thread.sleep(250);
      }
    }
    for (int i = 1; i < ClusterProcesses.SIZE; i++) {
      assertEquals(chains.get(0).size(), chains.get(i).size(),
          ClusterProcesses.id(i) + " holds as many events as n0");
      assertEquals(chains.get(0), chains.get(i),
          ClusterProcesses.id(i) + " holds the same chain as n0");
    }
    List<String> chain = chains.get(0);
    long first = Long.parseLong(chain.get(0).split(" ")[0]);
    for (int s = 0; s < chain.size(); s++) {
      assertTrue(chain.get(s).startsWith((first + s) + " "), "contiguous sequence at " + s
          + ": " + chain.get(s));
    }
  }

  private static List<String> chainUntil(ClusterProcesses cluster, int i, Instant until) {
    List<String> events = new ArrayList<>();
    try (CofferClient c = cluster.client(i, Duration.ofSeconds(60))) {
      Iterator<AuditEvent> it = c.audit().exportAuditEvents(ExportAuditEventsRequest.newBuilder()
          .setFilter(AuditFilter.newBuilder().setUntil(Timestamp.newBuilder()
              .setSeconds(until.getEpochSecond()).setNanos(until.getNano()))).build());
      while (it.hasNext()) {
        AuditEvent e = it.next();
        events.add(e.getSequence() + " " + e.getPreviousHash() + " " + e.getAction() + " "
            + e.getTarget() + " " + e.getOutcome());
      }
    }
    return events;
  }
}
