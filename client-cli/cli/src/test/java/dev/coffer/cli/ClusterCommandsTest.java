package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.api.v1.AddPeerRequest;
import dev.coffer.api.v1.ClusterMembership;
import dev.coffer.api.v1.ClusterPeer;
import dev.coffer.api.v1.ClusterStatus;
import dev.coffer.api.v1.RemovePeerRequest;
import dev.coffer.api.v1.TakeSnapshotResponse;
import dev.coffer.api.v1.TransferLeadershipRequest;
import dev.coffer.api.v1.TransferLeadershipResponse;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** What {@code coffer cluster ...} sends and prints, against the fake server. */
class ClusterCommandsTest extends FakeServerTest {

  private static ClusterStatus leaderStatus() {
    return ClusterStatus.newBuilder().setNodeId("n0").setRole("leader").setTerm(7)
        .setLeaderId("n0").setCommitIndex(120).setAppliedIndex(119).setServing(true)
        .addPeers(ClusterPeer.newBuilder().setId("n0").setAddress("10.0.0.1:7000")
            .setRole("leader").setMatchIndex(120).setCommitIndex(120).setLastContactMillis(0))
        .addPeers(ClusterPeer.newBuilder().setId("n1").setAddress("10.0.0.2:7000")
            .setRole("follower").setMatchIndex(118).setCommitIndex(117)
            .setLastContactMillis(42))
        .addPeers(ClusterPeer.newBuilder().setId("n2").setAddress("10.0.0.3:7000")
            .setRole("").setMatchIndex(-1).setCommitIndex(-1).setLastContactMillis(-1))
        .build();
  }

  @Test
  void peers_printsTheNodeThenATableOfVoters() {
    server.answer = req -> leaderStatus();
    assertEquals(0, cli.run("cluster", "peers"), cli.err());
    String out = cli.out();
    assertTrue(out.lines().anyMatch(l -> l.matches("role\\s+leader")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("commit/applied\\s+120/119")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("serving\\s+yes")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches(
        "ID\\s+ADDRESS\\s+ROLE\\s+TERM\\s+MATCH\\s+COMMIT/APPLIED\\s+LAST CONTACT\\s*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches(
        "n0 \\*\\s+10\\.0\\.0\\.1:7000\\s+leader\\s+7\\s+120\\s+120/119\\s+0 ms ago\\s*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches(
        "n1\\s+10\\.0\\.0\\.2:7000\\s+follower\\s+7\\s+118\\s+117/-\\s+42 ms ago\\s*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches(
        "n2\\s+10\\.0\\.0\\.3:7000\\s+-\\s+-\\s+-\\s+-/-\\s+-\\s*")), out);
  }

  @Test
  void peers_saysWhyANodeDoesNotServe_andPrintsJsonWithDashDashJson() {
    server.answer = req -> leaderStatus().toBuilder().setRole("follower").setLeaderId("")
        .setServing(false).setNotServingReason("no leader known").build();
    assertEquals(0, cli.run("cluster", "peers"), cli.err());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("serving\\s+NO: no leader known")),
        cli.out());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("leader\\s+\\(none known\\)")),
        cli.out());

    server.answer = req -> leaderStatus();
    assertEquals(0, cli.run("cluster", "peers", "--json"), cli.err());
    JsonObject json = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertEquals("leader", json.get("role").getAsString());
    assertEquals(3, json.getAsJsonArray("peers").size());
    assertEquals("42", json.getAsJsonArray("peers").get(1).getAsJsonObject()
        .get("lastContactMillis").getAsString());
  }

  @Test
  void peers_onASingleNode_saysStandalone() {
    server.answer = req -> ClusterStatus.newBuilder().setRole("standalone").setServing(true)
        .build();
    assertEquals(0, cli.run("cluster", "peers"), cli.err());
    assertTrue(cli.out().contains("standalone (this server is not part of a cluster)"),
        cli.out());
  }

  @Test
  void transferLeader_sendsTheTarget_orNone() {
    server.answer = req -> TransferLeadershipResponse.newBuilder().setLeaderId("n2").setTerm(8)
        .build();
    assertEquals(0, cli.run("cluster", "transfer-leader", "--to", "n2"), cli.err());
    assertEquals("n2", server.last(TransferLeadershipRequest.class).getTargetNodeId());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("leader\\s+n2")), cli.out());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("term\\s+8")), cli.out());

    assertEquals(0, cli.run("cluster", "transfer-leader"), cli.err());
    assertEquals("", server.last(TransferLeadershipRequest.class).getTargetNodeId());
  }

  @Test
  void snapshot_printsTheNodeAndIndex() {
    server.answer = req -> TakeSnapshotResponse.newBuilder().setNodeId("n1")
        .setSnapshotIndex(4242).build();
    assertEquals(0, cli.run("cluster", "snapshot"), cli.err());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("snapshot index\\s+4242")), cli.out());
  }

  @Test
  void removeAndAdd_sendTheNodeAndAddress_andPrintTheVoters() {
    ClusterMembership two = ClusterMembership.newBuilder()
        .addPeers(ClusterPeer.newBuilder().setId("n0").setAddress("10.0.0.1:7000"))
        .addPeers(ClusterPeer.newBuilder().setId("n1").setAddress("10.0.0.2:7000")).build();
    server.answer = req -> two;
    assertEquals(0, cli.run("cluster", "remove", "n2"), cli.err());
    assertEquals("n2", server.last(RemovePeerRequest.class).getNodeId());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches(
        "voters\\s+n0=10\\.0\\.0\\.1:7000, n1=10\\.0\\.0\\.2:7000")), cli.out());

    assertEquals(0, cli.run("cluster", "add", "n3", "coffer-3.peers:7000"), cli.err());
    AddPeerRequest add = server.last(AddPeerRequest.class);
    assertEquals("n3", add.getNodeId());
    assertEquals("coffer-3.peers:7000", add.getAddress());
  }

  @Test
  void badIdsAndAddresses_areUsageErrors_withoutACall() {
    int before = server.requests.size();
    assertEquals(1, cli.run("cluster", "add", "n3", "coffer-3"));
    assertTrue(cli.err().contains("HOST:PORT must be"), cli.err());
    assertEquals(1, cli.run("cluster", "add", "n3", "coffer-3:0"));
    assertEquals(1, cli.run("cluster", "remove", "-bad"));
    assertEquals(1, cli.run("cluster", "transfer-leader", "--to", "no way"));
    assertEquals(before, server.requests.size());
  }

  @Test
  void aRefusal_isReportedAsTheServerSaidIt() {
    server.answer = req -> Status.FAILED_PRECONDITION
        .withDescription("this server is not part of a cluster").asRuntimeException();
    assertTrue(cli.run("cluster", "snapshot") != 0);
    assertTrue(cli.err().contains("this server is not part of a cluster"), cli.err());
  }
}
