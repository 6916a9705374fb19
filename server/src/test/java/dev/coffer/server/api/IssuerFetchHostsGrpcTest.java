package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.ClaimBinding;
import dev.coffer.api.v1.ClaimMatch;
import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.ListTrustedIssuersRequest;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginServiceGrpc;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.OidcProvider;
import dev.coffer.server.testing.TestVault;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --issuer-fetch-hosts over gRPC: off the list, CreateTrustedIssuer is FAILED_PRECONDITION
 * with reason ISSUER_FETCH_NOT_ALLOWED and a message naming the flag, and nothing is stored;
 * on the list (the host of a real OpenID provider on 127.0.0.1), an issuer found by discovery
 * signs a workload in end to end.
 */
class IssuerFetchHostsGrpcTest {

  static final String SA = "system:serviceaccount:prod:api";

  @TempDir Path dir;
  InProcessServer coffer;
  OidcProvider idp;

  @BeforeEach
  void setUp() throws Exception {
    idp = new OidcProvider("ci");
  }

  @AfterEach
  void tearDown() throws Exception {
    idp.close();
    if (coffer != null) {
      coffer.close();
    }
  }

  private void start(IssuerFetchHosts hosts) throws Exception {
    coffer = new InProcessServer(new TestVault(dir, hosts), (vault, server) -> { });
    coffer.vault.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    var v = coffer.vault;
    v.vault.directory().principals().create(v.admin(), "default", "owner", PrincipalKind.USER,
        false);
    v.vault.directory().principals().create(v.admin(), "default", "svc-api",
        PrincipalKind.SERVICE, false, "owner");
  }

  private TrustedIssuerServiceGrpc.TrustedIssuerServiceBlockingStub issuers() {
    return TrustedIssuerServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(coffer.vault.adminToken))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private CreateTrustedIssuerRequest discovered() {
    return CreateTrustedIssuerRequest.newBuilder().setIssuer(TrustedIssuer.newBuilder()
        .setIssuerId("ci").setIssuer(idp.issuer()).setPurpose(IssuerPurpose.WORKLOADS)
        .addAudiences("coffer").addBindings(ClaimBinding.newBuilder().setPrincipalId("svc-api")
            .addClaims(ClaimMatch.newBuilder().setClaim("sub").setEquals(SA)))).build();
  }

  @Test
  void offTheList_creationIsFailedPrecondition_namingTheFlag_andNothingIsStored()
      throws Exception {
    start(IssuerFetchHosts.parse("login.example.com"));
    StatusRuntimeException e = GrpcAssertions.assertReason(Status.Code.FAILED_PRECONDITION,
        "ISSUER_FETCH_NOT_ALLOWED", () -> issuers().createTrustedIssuer(discovered()));
    assertTrue(e.getStatus().getDescription().contains("--issuer-fetch-hosts"),
        e.getStatus().getDescription());
    assertTrue(e.getStatus().getDescription().startsWith("issuer.issuer"),
        e.getStatus().getDescription());
    assertEquals(0, issuers().listTrustedIssuers(ListTrustedIssuersRequest.getDefaultInstance())
        .getIssuersCount());
  }

  @Test
  void onTheList_aDiscoveredIssuerSignsInEndToEnd() throws Exception {
    // mock-oauth2-server names its 127.0.0.1 listener "localhost" in its URLs
    start(IssuerFetchHosts.parse(java.net.URI.create(idp.issuer()).getHost()));
    issuers().createTrustedIssuer(discovered());
    Instant now = coffer.vault.clock.instant();
    var r = LoginServiceGrpc.newBlockingStub(coffer.channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .login(LoginRequest.newBuilder().setTenantId("default")
            .setSubjectToken(idp.sign(idp.claims(now, SA, "coffer").build())).build());
    assertEquals("svc-api", r.getPrincipal().getPrincipalId());
  }
}
