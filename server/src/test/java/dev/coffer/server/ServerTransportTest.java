package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestCertificates;
import dev.coffer.server.testing.TestVault;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the gRPC port, on 127.0.0.1 only, with certificates made at test time. */
class ServerTransportTest {

  @TempDir Path dir;

  @Test
  void tlsServer_servesClientsThatTrustItsCertificate_andRefusesOthers() throws Exception {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server", 1);
    TestCertificates.Pem stranger = TestCertificates.selfSigned(dir, "stranger", 2);
    ServerTransport transport = ServerTransport.tls(pem.cert(), pem.key(), 60);
    try (TestVault t = new TestVault(dir.resolve("vault"))) {
      CofferServer server = start(t, transport);
      try {
        assertEquals("admin", whoAmI(server.port(), pem.cert(), t.adminToken));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> whoAmI(server.port(), stranger.cert(), t.adminToken));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      } finally {
        server.stop(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void renewedCertificate_isServedWithoutARestart() throws Exception {
    TestCertificates.Pem first = TestCertificates.selfSigned(dir, "server", 1);
    ServerTransport transport = ServerTransport.tls(first.cert(), first.key(), 1);
    try (TestVault t = new TestVault(dir.resolve("vault"))) {
      CofferServer server = start(t, transport);
      try {
        TestCertificates.Pem renewed = TestCertificates.selfSigned(dir, "server", 2);
        Instant deadline = Instant.now().plusSeconds(20);
        boolean served = false;
        while (!served && Instant.now().isBefore(deadline)) {
          try {
            served = "admin".equals(whoAmI(server.port(), renewed.cert(), t.adminToken));
          } catch (StatusRuntimeException notYet) {
            Thread.sleep(200);
          }
        }
        assertTrue(served, "the renewed certificate was not picked up within 20 s");
      } finally {
        server.stop(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void unreadableCertificate_isAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerTransport.tls(dir.resolve("missing.crt"), dir.resolve("missing.key"), 60));
    assertTrue(e.getMessage().contains("missing.crt"), e.getMessage());
  }

  private static CofferServer start(TestVault t, ServerTransport transport) throws Exception {
    return CofferServer.builder(t.vault)
        .transport(NettyServerBuilder.forAddress(
            new InetSocketAddress("127.0.0.1", 0), transport.credentials()))
        .clock(t.clock).addBackgroundJob(transport.reloadJob().orElseThrow()).build().start();
  }

  private static String whoAmI(int port, Path trustedCert, String token) throws Exception {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
        TlsChannelCredentials.newBuilder().trustManager(trustedCert.toFile()).build()).build();
    try {
      return PrincipalServiceGrpc.newBlockingStub(channel)
          .withInterceptors(InProcessServer.bearer(token))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipalId();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
