package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.ListApplicationsRequest;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.LocalVaultCluster;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Coffer server over one node of a three-node cluster (in-process transport, Raft on
 * 127.0.0.1): calls are served after a linearizable read barrier, so a node cut off from its
 * majority answers UNAVAILABLE rather than stale data, and its health says NOT_SERVING.
 */
class ClusteredServerTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;
  CofferServer server;
  ManagedChannel channel;
  String adminToken;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalVaultCluster.start(dir, 3);
    try (var issued = cluster.vault(0).directory().bootstrap().bootstrapIfEmpty().orElseThrow()
        .value()) {
      adminToken = issued.reveal();
    }
  }

  private void serve(int node) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = CofferServer.builder(cluster.vault(node))
        .transport(InProcessServerBuilder.forName(name)).clock(cluster.clock()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
    cluster.close();
  }

  private ServingStatus health() {
    return HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  @Test
  void aFollowerServesReads_andCutOffFromItsMajority_answersUnavailable_notStaleData()
      throws Exception {
    int follower = cluster.aFollower();
    serve(follower);
    LocalVaultCluster.await(() -> health() == ServingStatus.SERVING, "the follower to serve");
    var apps = ApplicationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(InProcessServer.bearer(adminToken));
    assertEquals(0, apps.listApplications(ListApplicationsRequest.getDefaultInstance())
        .getApplicationsCount());
    for (int i = 0; i < cluster.size(); i++) {
      if (i != follower) {
        cluster.stop(i);
      }
    }
    StatusRuntimeException e = Assertions.assertThrows(
        StatusRuntimeException.class, () -> apps.withDeadlineAfter(30, TimeUnit.SECONDS)
            .listApplications(ListApplicationsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    LocalVaultCluster.await(() -> health() == ServingStatus.NOT_SERVING,
        "the follower to say NOT_SERVING");
  }

  @Test
  void aNodeWhoseClockIsBehindItsPeers_saysNotServing_andRefusesCalls_untilItsClockIsRight()
      throws Exception {
    int slow = cluster.aFollower();
    cluster.skew(slow, Duration.ofSeconds(-2));
    serve(slow); // its own beacon job runs; the peers' beacons are sent below
    var apps = ApplicationServiceGrpc.newBlockingStub(channel)
        .withInterceptors(InProcessServer.bearer(adminToken));
    LocalVaultCluster.await(() -> {
      peersBeacon(slow);
      return health() == ServingStatus.NOT_SERVING;
    }, "the slow node to say NOT_SERVING");
    StatusRuntimeException e = Assertions.assertThrows(StatusRuntimeException.class,
        () -> apps.listApplications(ListApplicationsRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().startsWith("this node does not serve now: this "
        + "node's clock is at least 2"), e.getStatus().getDescription());
    String reason = cluster.vault(slow).storage().cluster().orElseThrow().status()
        .notServingReason();
    assertTrue(reason.contains("behind 2 of its 2 peers'"), reason);
    for (int i = 0; i < cluster.size(); i++) {
      if (i != slow) {
        assertEquals("", cluster.vault(i).storage().cluster().orElseThrow().status()
            .notServingReason(), "a peer in step serves: n" + i);
      }
    }

    cluster.skew(slow, Duration.ZERO);
    LocalVaultCluster.await(() -> {
      peersBeacon(slow);
      return health() == ServingStatus.SERVING;
    }, "the node to serve again once its clock is right");
    assertEquals(0, apps.listApplications(ListApplicationsRequest.getDefaultInstance())
        .getApplicationsCount());
  }

  private void peersBeacon(int except) {
    for (int i = 0; i < cluster.size(); i++) {
      if (i != except) {
        cluster.vault(i).storage().cluster().orElseThrow().sendClockBeacon();
      }
    }
  }
}
