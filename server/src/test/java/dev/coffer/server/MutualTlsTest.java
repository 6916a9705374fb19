package dev.coffer.server;

import static dev.coffer.server.testing.TestCertificates.sans;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.auth.CertificateIdentity;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestCertificates;
import dev.coffer.server.testing.TestVault;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on a real Netty server on 127.0.0.1: client certificates from a throwaway test CA
 * authenticate as the principal their SPIFFE ID names, alone or together with a token.
 */
class MutualTlsTest {

  private static final String TRUST_DOMAIN = "test.coffer";

  @TempDir Path dir; // the certificates (JUnit fills it before the extension starts the server)
  @RegisterExtension
  final CofferExtension fixture = CofferExtension.loopbackServer().server(this::mutualTls).build();
  private TestVault t;
  private TestCertificates.Ca ca;
  private CofferServer server;

  /** The fixture's server, on 127.0.0.1, switched to mutual TLS with a fresh test CA. */
  private void mutualTls(Vault vault, CofferServer.Builder builder) {
    try {
      ca = TestCertificates.ca(dir, "ca");
      TestCertificates.Pem serverCert = TestCertificates.server(dir, ca, "server", 2);
      ServerTransport transport =
          ServerTransport.tls(serverCert.cert(), serverCert.key(), 60, ca.pem().cert());
      builder.transport(NettyServerBuilder.forAddress(
              new InetSocketAddress("127.0.0.1", 0), transport.credentials()))
          .clientCertificates(CertificateIdentity.spiffe(TRUST_DOMAIN))
          .addBackgroundJob(transport.reloadJob().orElseThrow());
    } catch (Exception e) {
      throw new IllegalStateException("test certificates", e);
    }
  }

  @BeforeEach
  void start() {
    t = fixture.vault();
    server = fixture.loopback();
    t.newPrincipal("default", "alice", false);
  }

  private TestCertificates.Pem client(TestCertificates.Ca issuer, String principal, long serial)
      throws Exception {
    return TestCertificates.signed(dir, issuer, "client-" + serial, "CN=" + principal, serial,
        sans("uri:spiffe://" + TRUST_DOMAIN + "/tenants/default/principals/" + principal));
  }

  @Test
  void clientCertificate_withoutToken_authenticatesAsItsPrincipal() throws Exception {
    assertEquals("alice", whoAmI(client(ca, "alice", 10), null));
  }

  @Test
  void whoAmI_namesNoTokenForACertificateCaller_andTheTokenWhenOneIsSent() throws Exception {
    ManagedChannel channel = channel(client(ca, "alice", 40));
    try {
      var stub = PrincipalServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertEquals("", stub.whoAmI(WhoAmIRequest.getDefaultInstance()).getTokenId());
      String withToken = stub.withInterceptors(InProcessServer.bearer(
          t.tokenFor("default", "alice"))).whoAmI(WhoAmIRequest.getDefaultInstance())
          .getTokenId();
      assertEquals(true, withToken.startsWith("tok_"), withToken);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void certificateNamingAnUnknownPrincipal_isUnauthenticated() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> whoAmI(client(ca, "mallory", 11), null));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void certificateThatDoesNotMap_isUnauthenticated_evenWithAValidToken() throws Exception {
    TestCertificates.Pem wrongDomain = TestCertificates.signed(dir, ca, "other-domain",
        "CN=alice", 12, sans("uri:spiffe://other.domain/tenants/default/principals/alice"));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> whoAmI(wrongDomain, t.tokenFor("default", "alice")));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void certificateFromAnotherCa_failsTheHandshake() throws Exception {
    // Same issuer name as the trusted CA (so the client offers the certificate), other key.
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    TestCertificates.Ca forged = TestCertificates.ca(elsewhere, "ca");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> whoAmI(client(forged, "alice", 13), t.adminToken));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void certificateFromAnUnrelatedCa_neverAuthenticates() throws Exception {
    TestCertificates.Ca other = TestCertificates.ca(dir, "other-ca");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> whoAmI(client(other, "alice", 17), null));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void tokenAndCertificateOfDifferentPrincipals_isUnauthenticated() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> whoAmI(client(ca, "alice", 14), t.adminToken));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void tokenAndCertificateOfTheSamePrincipal_authenticate() throws Exception {
    assertEquals("alice", whoAmI(client(ca, "alice", 15), t.tokenFor("default", "alice")));
  }

  @Test
  void tokenOnlyClients_stillWork_andHealthStaysOpen() throws Exception {
    assertEquals("admin", whoAmI(null, t.adminToken));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> whoAmI(null, null));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    ManagedChannel channel = channel(client(ca, "mallory", 16));
    try {
      assertEquals("SERVING", HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus().name());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel channel(TestCertificates.Pem clientCert) throws Exception {
    TlsChannelCredentials.Builder creds = TlsChannelCredentials.newBuilder()
        .trustManager(ca.pem().cert().toFile());
    if (clientCert != null) {
      creds.keyManager(clientCert.cert().toFile(), clientCert.key().toFile());
    }
    return Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), creds.build()).build();
  }

  private String whoAmI(TestCertificates.Pem clientCert, String token) throws Exception {
    ManagedChannel channel = channel(clientCert);
    try {
      var stub = PrincipalServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      if (token != null) {
        stub = stub.withInterceptors(InProcessServer.bearer(token));
      }
      return stub.whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipalId();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
