package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import dev.coffer.api.v1.ClaimBinding;
import dev.coffer.api.v1.ClaimMatch;
import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.ListLoginIssuersRequest;
import dev.coffer.api.v1.ListLoginIssuersResponse;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginResponse;
import dev.coffer.api.v1.LoginServiceGrpc;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.OidcProvider;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Login and ListLoginIssuers over gRPC, with the real interceptors: both are callable without
 * a bearer token, a refusal is UNAUTHENTICATED with reason LOGIN_REFUSED and the failed check
 * in ErrorInfo's metadata, the token Login returns works, and an issuer that never answers
 * does not stall other calls (it fails closed once its HTTP timeout passes).
 */
class LoginGrpcTest {

  static final String SA = "system:serviceaccount:prod:api";

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  OidcProvider idp;
  Instant now;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    fixture.clock().set(now);
    idp = new OidcProvider("ci");
    var v = coffer.vault;
    v.vault.directory().principals().create(v.admin(), "default", "owner", PrincipalKind.USER,
        false);
    v.vault.directory().principals().create(v.admin(), "default", "svc-api",
        PrincipalKind.SERVICE, false, "owner");
  }

  @AfterEach
  void tearDown() {
    idp.close();
  }

  private TrustedIssuerServiceGrpc.TrustedIssuerServiceBlockingStub issuers() {
    return TrustedIssuerServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(coffer.vault.adminToken))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private LoginServiceGrpc.LoginServiceBlockingStub anonymous() {
    return LoginServiceGrpc.newBlockingStub(coffer.channel).withDeadlineAfter(30,
        TimeUnit.SECONDS);
  }

  private TrustedIssuer workloads(String id, String issuer, String jwksUri) {
    return TrustedIssuer.newBuilder().setIssuerId(id).setIssuer(issuer).setJwksUri(jwksUri)
        .setPurpose(IssuerPurpose.WORKLOADS).addAudiences("coffer")
        .addBindings(ClaimBinding.newBuilder().setPrincipalId("svc-api")
            .addClaims(ClaimMatch.newBuilder().setClaim("sub").setEquals(SA)))
        .build();
  }

  private LoginRequest login(String jwt) {
    return LoginRequest.newBuilder().setTenantId("default").setSubjectToken(jwt).build();
  }

  @Test
  void loginNeedsNoBearerToken_andItsTokenWorks() {
    TrustedIssuer created = issuers().createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder()
        .setIssuer(workloads("ci", idp.issuer(), "")).build());
    assertEquals("tenants/default/issuers/ci", created.getName());

    LoginResponse r = anonymous().login(login(idp.sign(idp.claims(now, SA, "coffer").build())));

    assertEquals("svc-api", r.getPrincipal().getPrincipalId());
    assertEquals("tenants/default/issuers/ci", r.getIssuer());
    assertEquals("urn:ietf:params:oauth:token-type:access_token", r.getIssuedTokenType());
    Principal me = coffer.principals(r.getAccessToken()).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertEquals("svc-api", me.getPrincipalId());
    assertEquals(r.getToken().getTokenId(), me.getTokenId());
  }

  @Test
  void aRefusalIsUnauthenticated_namingTheFailedCheck_neverTheToken() throws Exception {
    issuers().createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder()
        .setIssuer(workloads("ci", idp.issuer(), "")).build());
    String jwt = idp.sign(idp.claims(now, SA, "not-coffer").build());

    StatusRuntimeException e = GrpcAssertions.assertReason(Status.Code.UNAUTHENTICATED,
        "LOGIN_REFUSED", () -> anonymous().login(login(jwt)));

    assertEquals("WRONG_AUDIENCE", errorInfo(e).getMetadataOrThrow("failure"));
    assertFalse(e.getStatus().getDescription().contains(jwt.split("\\.")[1]));
    GrpcAssertions.assertInvalidField("subject_token", () -> anonymous().login(login("")));
  }

  @Test
  void listLoginIssuers_showsPeopleIssuersOnly_withoutAToken() {
    issuers().createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder()
        .setIssuer(workloads("ci", idp.issuer(), "")).build());
    issuers().createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder()
        .setIssuer(TrustedIssuer.newBuilder().setIssuerId("corp")
            .setIssuer("https://login.example.com").setPurpose(IssuerPurpose.PEOPLE)
            .addAudiences("coffer-cli").setUserClaim("email").setClientId("coffer-cli"))
        .build());

    ListLoginIssuersResponse r = anonymous().listLoginIssuers(
        ListLoginIssuersRequest.newBuilder().setTenantId("default").build());

    assertEquals(1, r.getIssuersCount());
    assertEquals("corp", r.getIssuers(0).getIssuerId());
    assertEquals("coffer-cli", r.getIssuers(0).getClientId());
    assertEquals(3, r.getIssuers(0).getScopesCount(), "openid profile email by default");
    assertEquals(0, anonymous().listLoginIssuers(ListLoginIssuersRequest.newBuilder()
        .setTenantId("nosuch").build()).getIssuersCount());
  }

  @Test
  void anIssuerThatNeverAnswers_failsClosed_andOtherCallsGoOn() throws Exception {
    try (ServerSocket blackhole = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      String jwks = "http://127.0.0.1:" + blackhole.getLocalPort() + "/jwks";
      issuers().createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder()
          .setIssuer(workloads("slow", "http://127.0.0.1:" + blackhole.getLocalPort(), jwks))
          .build());
      String jwt = idp.sign(idp.claims(now, SA, "coffer")
          .issuer("http://127.0.0.1:" + blackhole.getLocalPort()).build());

      CompletableFuture<LoginResponse> pending =
          CompletableFuture.supplyAsync(() -> anonymous().login(login(jwt)));
      blackhole.setSoTimeout(20_000);
      try (Socket fetch = blackhole.accept()) {
        // The Login is now waiting for the key set; another call still completes.
        Principal admin = coffer.principals(coffer.vault.adminToken)
            .whoAmI(WhoAmIRequest.getDefaultInstance());
        assertEquals("admin", admin.getPrincipalId());
        assertFalse(pending.isDone(), "the issuer has not answered, so Login cannot be done");
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> pending.get(30, TimeUnit.SECONDS));
        StatusRuntimeException e = (StatusRuntimeException) failed.getCause();
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals("ISSUER_UNREACHABLE", errorInfo(e).getMetadataOrThrow("failure"));
        assertTrue(fetch.isConnected());
      }
    }
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
    return StatusProto.fromThrowable(e).getDetailsList().stream()
        .filter(a -> a.is(ErrorInfo.class)).findFirst().orElseThrow().unpack(ErrorInfo.class);
  }
}
