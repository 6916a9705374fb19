package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.AddPeerRequest;
import dev.coffer.api.v1.ClusterMembership;
import dev.coffer.api.v1.ClusterPeer;
import dev.coffer.api.v1.ClusterServiceGrpc;
import dev.coffer.api.v1.ClusterStatus;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.GetClusterStatusRequest;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.RemovePeerRequest;
import dev.coffer.api.v1.TakeSnapshotRequest;
import dev.coffer.api.v1.TakeSnapshotResponse;
import dev.coffer.api.v1.TransferLeadershipRequest;
import dev.coffer.api.v1.TransferLeadershipResponse;
import dev.coffer.server.CofferServer;
import dev.coffer.server.Vault;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.audit.AuditQuery;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestVault;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClusterService on a three-node in-JVM cluster (Raft on 127.0.0.1, each node's API on an
 * in-process transport): every node names the same leader and term, leadership moves to the
 * node named, a snapshot is taken on request, a voter removed and added back while the group
 * keeps serving, every call audited, and only the system administrator may call any of it.
 */
class ClusterGrpcTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;
  final List<CofferServer> servers = new ArrayList<>();
  final List<ManagedChannel> channels = new ArrayList<>();
  String adminToken;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalVaultCluster.start(dir, 3);
    adminToken = cluster.vault(0).directory().bootstrap().bootstrapIfEmpty()
        .map(t -> {
          try (var v = t.value()) {
            return v.reveal();
          }
        }).orElseThrow();
    for (int i = 0; i < cluster.size(); i++) {
      serve(i);
    }
    cluster.awaitCaughtUpWith(0);
  }

  private void serve(int i) throws Exception {
    String name = InProcessServerBuilder.generateName();
    CofferServer server = CofferServer.builder(cluster.vault(i))
        .transport(InProcessServerBuilder.forName(name).directExecutor())
        .clock(cluster.clock()).backgroundJobs(List.of()).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    if (i < servers.size()) {
      servers.set(i, server);
      channels.set(i, channel);
    } else {
      servers.add(server);
      channels.add(channel);
    }
  }

  private void unserve(int i) throws InterruptedException {
    channels.get(i).shutdownNow();
    servers.get(i).stop(Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = 0; i < servers.size(); i++) {
      unserve(i);
    }
    cluster.close();
  }

  private ClusterServiceGrpc.ClusterServiceBlockingStub on(int node, String token) {
    return ClusterServiceGrpc.newBlockingStub(channels.get(node))
        .withInterceptors(InProcessServer.bearer(token))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private ClusterStatus status(int node) {
    return on(node, adminToken).getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
  }

  @Test
  void statusOnEveryNode_namesTheSameLeaderAndTerm_andTheLeaderKnowsItsFollowers() {
    int leader = cluster.awaitLeader();
    String leaderId = "n" + leader;
    long term = status(leader).getTerm();
    for (int i = 0; i < cluster.size(); i++) {
      int node = i;
      LocalVaultCluster.await(() -> status(node).getLeaderId().equals(leaderId),
          "node " + node + " to know the leader");
      ClusterStatus s = status(i);
      assertEquals("n" + i, s.getNodeId());
      assertEquals(i == leader ? "leader" : "follower", s.getRole());
      assertEquals(term, s.getTerm(), "node " + i);
      assertTrue(s.getServing(), s.toString());
      assertEquals("", s.getNotServingReason());
      assertEquals(List.of("n0", "n1", "n2"), s.getPeersList().stream().map(ClusterPeer::getId)
          .sorted().collect(Collectors.toList()));
      for (ClusterPeer p : s.getPeersList()) {
        assertEquals(p.getId().equals(leaderId) ? "leader" : "follower", p.getRole());
        assertTrue(p.getAddress().startsWith("127.0.0.1:"), p.getAddress());
      }
    }
    ClusterStatus fromLeader = status(leader);
    assertTrue(fromLeader.getCommitIndex() > 0);
    for (ClusterPeer p : fromLeader.getPeersList()) {
      assertTrue(p.getMatchIndex() > 0, "the leader knows what it replicated: " + p);
      assertTrue(p.getLastContactMillis() >= 0, p.toString());
    }
    ClusterPeer fromFollower = status((leader + 1) % 3).getPeersList().get(0);
    assertEquals(-1, fromFollower.getMatchIndex(), "a follower does not know match indices");
  }

  @Test
  void transferLeadership_movesTheLeaderToTheNamedNode_andWithoutOneToAnother() {
    int leader = cluster.awaitLeader();
    int target = (leader + 2) % 3;
    TransferLeadershipResponse moved = on((leader + 1) % 3, adminToken).transferLeadership(
        TransferLeadershipRequest.newBuilder().setTargetNodeId("n" + target).build());
    assertEquals("n" + target, moved.getLeaderId());
    assertEquals(target, cluster.awaitLeader());
    LocalVaultCluster.await(() -> status(leader).getLeaderId().equals("n" + target),
        "the old leader to follow the new one");
    assertTrue(status(target).getTerm() > 0);

    TransferLeadershipResponse any = on(target, adminToken).transferLeadership(
        TransferLeadershipRequest.getDefaultInstance());
    assertFalse(any.getLeaderId().equals("n" + target), any.toString());
    LocalVaultCluster.await(() -> cluster.awaitLeader() != target, "leadership to move on");
    assertEquals(any.getLeaderId(), "n" + cluster.awaitLeader());
  }

  @Test
  void takeSnapshot_takesOneOnThisNodeAtItsAppliedIndex() {
    int follower = cluster.aFollower();
    createPrincipal(follower, "bob");
    TakeSnapshotResponse taken = on(follower, adminToken)
        .takeSnapshot(TakeSnapshotRequest.getDefaultInstance());
    assertEquals("n" + follower, taken.getNodeId());
    assertTrue(taken.getSnapshotIndex() > 0, taken.toString());
    var latest = cluster.vault(follower).storage().cluster().orElseThrow().machine()
        .getLatestSnapshot();
    assertEquals(taken.getSnapshotIndex(), latest.getIndex());
    assertTrue(audited(follower, "CLUSTER_SNAPSHOT", AuditEvent.ALLOWED));
  }

  @Test
  void removeThenAddAPeer_theGroupKeepsServing() throws Exception {
    int leader = cluster.awaitLeader();
    int gone = (leader + 1) % 3;
    int other = (leader + 2) % 3;
    ClusterMembership afterRemove = on(other, adminToken).removePeer(
        RemovePeerRequest.newBuilder().setNodeId("n" + gone).build());
    assertEquals(2, afterRemove.getPeersCount(), afterRemove.toString());
    assertFalse(afterRemove.getPeersList().stream().anyMatch(p -> p.getId().equals("n" + gone)));
    unserve(gone);
    cluster.stop(gone);
    createPrincipal(other, "after-remove"); // two of two: still a majority, still serving
    assertEquals(2, status(leader).getPeersCount());
    assertTrue(audited(other, "CLUSTER_REMOVE_PEER", AuditEvent.ALLOWED));

    String address = cluster.vault(leader).storage().cluster().orElseThrow().config().peers()
        .get("n" + gone).host() + ":" + cluster.vault(leader).storage().cluster().orElseThrow()
        .config().peers().get("n" + gone).port();
    CompletableFuture<ClusterMembership> adding = CompletableFuture.supplyAsync(() ->
        on(leader, adminToken).addPeer(AddPeerRequest.newBuilder().setNodeId("n" + gone)
            .setAddress(address).build()));
    cluster.open(gone); // back on its directories; the leader catches it up
    ClusterMembership afterAdd = adding.get(60, TimeUnit.SECONDS);
    assertEquals(3, afterAdd.getPeersCount(), afterAdd.toString());
    serve(gone);
    cluster.awaitCaughtUpWith(leader);
    assertTrue(cluster.vault(gone).directory().principals().get(admin(cluster.vault(gone)),
        "default", "after-remove") != null, "the returned node has the write made without it");
    createPrincipal(gone, "after-add");
    assertTrue(audited(leader, "CLUSTER_ADD_PEER", AuditEvent.ALLOWED));
  }

  @Test
  void aNonAdmin_isDeniedEveryCall_andBadInputNamesTheField() {
    Vault vault = cluster.vault(0);
    vault.directory().principals().create(admin(vault), "default", "carol", PrincipalKind.USER,
        true);
    String carol;
    try (var v = vault.directory().tokens().issue(admin(vault), "default", "carol", null, "t")
        .value()) {
      carol = v.reveal();
    }
    cluster.awaitCaughtUpWith(0);
    var stub = on(1, carol);
    Status.Code denied = Status.Code.PERMISSION_DENIED;
    assertReason(denied, "NOT_SYSTEM_ADMIN",
        () -> stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));
    assertReason(denied, "NOT_SYSTEM_ADMIN", () -> stub.transferLeadership(
        TransferLeadershipRequest.newBuilder().setTargetNodeId("n0").build()));
    assertReason(denied, "NOT_SYSTEM_ADMIN",
        () -> stub.takeSnapshot(TakeSnapshotRequest.getDefaultInstance()));
    assertReason(denied, "NOT_SYSTEM_ADMIN",
        () -> stub.removePeer(RemovePeerRequest.newBuilder().setNodeId("n2").build()));
    assertReason(denied, "NOT_SYSTEM_ADMIN", () -> stub.addPeer(AddPeerRequest.newBuilder()
        .setNodeId("n9").setAddress("127.0.0.1:1").build()));
    assertTrue(audited(1, "CLUSTER_REMOVE_PEER", AuditEvent.DENIED));
    assertEquals(3, status(0).getPeersCount(), "nothing changed");

    var admin = on(1, adminToken);
    assertInvalidField("target_node_id", () -> admin.transferLeadership(
        TransferLeadershipRequest.newBuilder().setTargetNodeId("n9").build()));
    assertInvalidField("target_node_id", () -> admin.transferLeadership(
        TransferLeadershipRequest.newBuilder().setTargetNodeId("not an id").build()));
    assertInvalidField("node_id", () -> admin.removePeer(RemovePeerRequest.newBuilder()
        .setNodeId("n9").build()));
    assertInvalidField("node_id", () -> admin.addPeer(AddPeerRequest.newBuilder()
        .setNodeId("-x").setAddress("127.0.0.1:7000").build()));
    assertInvalidField("address", () -> admin.addPeer(AddPeerRequest.newBuilder()
        .setNodeId("n9").setAddress("127.0.0.1").build()));
    assertReason(Status.Code.FAILED_PRECONDITION, "CLUSTER_CHANGE_REFUSED",
        () -> admin.addPeer(AddPeerRequest.newBuilder().setNodeId("n2")
            .setAddress("127.0.0.1:7000").build()));
    assertEquals(3, status(0).getPeersCount(), "nothing changed");
  }

  @Test
  void aSingleNode_isStandalone_andRefusesEveryChange(@TempDir Path single) throws Exception {
    try (InProcessServer coffer = new InProcessServer(single)) {
      var stub = ClusterServiceGrpc.newBlockingStub(coffer.channel)
          .withInterceptors(InProcessServer.bearer(coffer.vault.adminToken))
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      ClusterStatus s = stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
      assertEquals("standalone", s.getRole());
      assertTrue(s.getServing());
      assertEquals(0, s.getPeersCount());
      Status.Code refused = Status.Code.FAILED_PRECONDITION;
      assertReason(refused, "NOT_CLUSTERED", () -> stub.transferLeadership(
          TransferLeadershipRequest.getDefaultInstance()));
      assertReason(refused, "NOT_CLUSTERED",
          () -> stub.takeSnapshot(TakeSnapshotRequest.getDefaultInstance()));
      assertReason(refused, "NOT_CLUSTERED",
          () -> stub.removePeer(RemovePeerRequest.newBuilder().setNodeId("n1").build()));
      assertReason(refused, "NOT_CLUSTERED", () -> stub.addPeer(AddPeerRequest.newBuilder()
          .setNodeId("n1").setAddress("127.0.0.1:7000").build()));
      String bob = coffer.vault.tokenFor("default",
          coffer.vault.newPrincipal("default", "bob", true).caller().principalId());
      var denied = ClusterServiceGrpc.newBlockingStub(coffer.channel)
          .withInterceptors(InProcessServer.bearer(bob))
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN",
          () -> denied.takeSnapshot(TakeSnapshotRequest.getDefaultInstance()));
    }
  }

  private void createPrincipal(int node, String id) {
    PrincipalServiceGrpc.newBlockingStub(channels.get(node))
        .withInterceptors(InProcessServer.bearer(adminToken))
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .createPrincipal(CreatePrincipalRequest.newBuilder().setPrincipalId(id).build());
  }

  private boolean audited(int node, String action, String outcome) {
    cluster.awaitCaughtUpWith(cluster.awaitLeader());
    AuditQuery.Cursor cursor = new AuditQuery(cluster.vault(node).storage().store())
        .cursor("default", AuditFilter.ALL, Long.MAX_VALUE);
    for (int page = 0; page < 100 && !cursor.done(); page++) {
      if (cursor.next().stream()
          .anyMatch(e -> e.action().equals(action) && e.outcome().equals(outcome))) {
        return true;
      }
    }
    return false;
  }

  private static CallContext admin(Vault vault) {
    Principal system = new Principal("default", "admin", PrincipalKind.USER, true, true,
        TestVault.START);
    return new CallContext(vault.directory().principals().get(new CallContext(system,
        "req-test", "test"), "default", "admin"), "req-test", "test");
  }
}
