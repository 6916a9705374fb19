package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.server.CofferServer;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestVault;
import dev.coffer.api.v1.SecretServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop and the real network transport (Netty on 127.0.0.1 only). */
class ServerLifecycleTest {

  @TempDir Path dir;

  @Test
  @SuppressWarnings("try") // InProcessServer.close() may be interrupted
  void stop_turnsHealthNotServingBeforeDraining() throws Exception {
    try (InProcessServer coffer = new InProcessServer(dir)) {
      List<ServingStatus> seen = new CopyOnWriteArrayList<>();
      CountDownLatch notServing = new CountDownLatch(1);
      CountDownLatch watching = new CountDownLatch(1);
      HealthGrpc.newStub(coffer.channel).watch(HealthCheckRequest.getDefaultInstance(),
          new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse r) {
              seen.add(r.getStatus());
              watching.countDown();
              if (r.getStatus() == ServingStatus.NOT_SERVING) {
                notServing.countDown();
              }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      assertTrue(watching.await(5, TimeUnit.SECONDS), "the watch started");
      coffer.stopServer(Duration.ofMillis(500));
      assertTrue(notServing.await(5, TimeUnit.SECONDS), "watchers learn NOT_SERVING: " + seen);
      assertEquals(ServingStatus.SERVING, seen.get(0));
    }
  }

  @Test
  void oversizedRequestOverTheNetwork_isResourceExhausted_andChangesNothing() throws Exception {
    try (TestVault t = new TestVault(dir)) {
      CofferServer server = CofferServer.builder(t.vault)
          .transport(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
          .clock(t.clock).build().start();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().build();
      try {
        dev.coffer.api.v1.PrincipalServiceGrpc.newBlockingStub(channel)
            .withInterceptors(InProcessServer.bearer(t.adminToken))
            .whoAmI(dev.coffer.api.v1.WhoAmIRequest.getDefaultInstance()); // first sign-in
        long before = t.vault.kernel().audit().lastSequence();
        CreateSecretRequest huge = CreateSecretRequest.newBuilder()
            .setParent("applications/x").setDisplayName("n")
            .setDescription("d".repeat(ServerConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES + 1))
            .build();
        GrpcAssertions.assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> SecretServiceGrpc
            .newBlockingStub(channel).withInterceptors(InProcessServer.bearer(t.adminToken))
            .withDeadlineAfter(10, TimeUnit.SECONDS).createSecret(huge));
        assertEquals(before, t.vault.kernel().audit().lastSequence());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(Duration.ofSeconds(1));
      }
    }
  }
}
