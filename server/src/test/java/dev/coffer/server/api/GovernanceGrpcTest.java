package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.ClaimBinding;
import dev.coffer.api.v1.ClaimMatch;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListTokensRequest;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.coffer.server.service.secrets.SecretVerifier;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The governance promises, each tried the way an insider would walk around it: a grant to
 * oneself, an approval of one's own request, a token minted for somebody else, a credential
 * inside another tenant, a watch that outlives its token, a verify budget spent for everyone.
 * Each bypass found in review has a test here that fails on the code before the fix.
 */
class GovernanceGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String sysadmin;
  String alice;
  String bob;
  String carol;
  String app;
  String clientId;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    sysadmin = coffer.vault.adminToken;
    for (String p : new String[] {"alice", "bob", "carol"}) {
      coffer.principals(sysadmin).createPrincipal(CreatePrincipalRequest.newBuilder()
          .setPrincipalId(p).setAdmin(p.equals("carol")).build());
    }
    alice = coffer.vault.tokenFor("default", "alice");
    bob = coffer.vault.tokenFor("default", "bob");
    carol = coffer.vault.tokenFor("default", "carol");
    var created = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production")
        .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication();
    app = created.getName();
    clientId = created.getClientId();
  }

  String vaulted(String owner, boolean shared, boolean preapprove) {
    return coffer.secrets(owner).createSecret(CreateSecretRequest.newBuilder()
        .setParent(app).setDisplayName("db").setLocation("/").setVaulted(true)
        .setSharingEnabled(shared).setPreapproveOwner(preapprove).build())
        .getSecret().getName();
  }

  GrantServiceGrpc.GrantServiceBlockingStub grants(String token) {
    return coffer.grants(token);
  }

  AccessServiceGrpc.AccessServiceBlockingStub access(String token) {
    return coffer.access(token);
  }

  List<AuditEvent> audit(String token, String action) {
    return AuditServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(1000)
            .setFilter(AuditFilter.newBuilder().setAction(action)).build()).getEventsList();
  }

  void reveal(String token, String secret) {
    coffer.secrets(token).revealSecret(RevealSecretRequest.newBuilder().setName(secret).build());
  }

  CreateGrantRequest grantTo(String secret, String grantee) {
    return CreateGrantRequest.newBuilder().setSecret(secret).setGrantee(grantee)
        .setExpireTime(Timestamps.fromMillis(coffer.vault.clock.millis() + 3_600_000)).build();
  }

  String requestAccess(String token, String secret) {
    return access(token).createAccessRequest(CreateAccessRequestRequest.newBuilder()
        .setSecret(secret).setJustification("on call").setDuration(Durations.fromHours(1))
        .build()).getName();
  }

  void approve(String token, String request) {
    access(token).approveAccessRequest(ApproveAccessRequestRequest.newBuilder()
        .setName(request).build());
  }

  IssueTokenResponse issue(String token, String tenant, String principal) {
    return coffer.tokens(token).issueToken(IssueTokenRequest.newBuilder().setTenantId(tenant)
        .setPrincipalId(principal).build());
  }

  @Test
  void theOwner_cannotGrantItself_evenWhenSharingIsOn() {
    String secret = vaulted(alice, true, false);
    assertReason(Status.Code.PERMISSION_DENIED, "SELF_DECISION",
        () -> grants(alice).createGrant(grantTo(secret, "alice")));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_PREAPPROVED", () -> reveal(alice, secret));
  }

  @Test
  void aTenantAdmin_cannotGrantItself() {
    String secret = vaulted(alice, true, false);
    assertReason(Status.Code.PERMISSION_DENIED, "SELF_DECISION",
        () -> grants(carol).createGrant(grantTo(secret, "carol")));
    assertReason(Status.Code.PERMISSION_DENIED, "NO_GRANT", () -> reveal(carol, secret));
    assertTrue(audit(carol, "GRANT_CREATE").stream().anyMatch(e -> e.getActor().equals("carol")
        && e.getOutcome().equals("DENIED") && e.getReason().equals("SELF_DECISION")));
  }

  @Test
  void anAdminsOwnRequest_isDecidedBySomeoneElse() {
    String secret = vaulted(alice, true, false);
    String request = requestAccess(carol, secret);
    assertReason(Status.Code.PERMISSION_DENIED, "SELF_DECISION", () -> approve(carol, request));
    approve(alice, request);
    reveal(carol, secret);
  }

  @Test
  void anOwnerWithoutPreapproval_asksLikeAnyoneElse_andAnotherDecides() {
    String secret = vaulted(alice, true, false);
    String request = requestAccess(alice, secret);
    assertReason(Status.Code.PERMISSION_DENIED, "SELF_DECISION", () -> approve(alice, request));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_PREAPPROVED", () -> reveal(alice, secret));
    approve(carol, request);
    reveal(alice, secret);
  }

  @Test
  void aSecretThatIsNotShared_isStillReadable_byItsOwner_throughATenantAdmin() {
    String secret = vaulted(alice, false, false);
    String request = requestAccess(alice, secret);
    assertReason(Status.Code.PERMISSION_DENIED, "SELF_DECISION", () -> approve(alice, request));
    assertReason(Status.Code.NOT_FOUND, "SECRET_NOT_FOUND", () -> requestAccess(bob, secret));
    assertReason(Status.Code.FAILED_PRECONDITION, "SHARING_DISABLED",
        () -> grants(carol).createGrant(grantTo(secret, "bob")));
    approve(carol, request);
    reveal(alice, secret);
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SHARED", () -> reveal(carol, secret));
  }

  @Test
  void theOwner_ofASecretThatIsNotShared_cannotDecideForItselfByGrantEither() {
    String secret = vaulted(alice, false, false);
    assertReason(Status.Code.PERMISSION_DENIED, "SELF_DECISION",
        () -> grants(alice).createGrant(grantTo(secret, "alice")));
    grants(carol).createGrant(grantTo(secret, "alice"));
    reveal(alice, secret);
  }

  @Test
  void aTenantAdmin_issuingATokenForAUser_revokesTheUsersTokens_andLeavesATrace()
      throws Exception {
    String secret = vaulted(alice, false, true);
    reveal(alice, secret);
    LifecycleGrpcTest.Watch watch = new LifecycleGrpcTest.Watch(-1);
    LifecycleServiceGrpc.newStub(coffer.channel).withInterceptors(InProcessServer.bearer(alice))
        .watchLifecycle(WatchLifecycleRequest.getDefaultInstance(), watch);
    LifecycleGrpcTest.await(() -> coffer.vault.vault.lifecycle().events().subscriptionCount() == 1);

    IssueTokenResponse forAlice = issue(carol, "", "alice");

    assertEquals(1, forAlice.getRevokedTokenCount());
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_REVOKED", () -> reveal(alice, secret));
    LifecycleEvent told = watch.events.poll(10, TimeUnit.SECONDS);
    assertEquals("CREDENTIAL_ISSUED_TOKENS_REVOKED", told.getState());
    assertEquals(forAlice.getToken().getName(), told.getResource());
    Throwable ended = watch.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(ended).getCode());
    assertTrue(audit(carol, "TOKEN_ISSUE").stream().anyMatch(e -> e.getActor().equals("carol")
        && e.getTarget().equals("tenants/default/principals/alice/tokens/"
            + forAlice.getToken().getTokenId())
        && e.getReason().equals("FOR_OTHER_REVOKED_EXISTING")));
  }

  /**
   * A WORKLOADS issuer is a second way to a service's token: a tenant admin registering keys of
   * its own, bound to a service someone else owns, could sign in as that service. Like a token
   * issued for the service, it is told to the service's owner (and not to a stranger).
   */
  @Test
  void aTenantAdmin_trustingKeysOfItsOwnForAnothersService_isToldToTheServicesOwner()
      throws Exception {
    coffer.principals(carol).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setPrincipalId("billing").setKind(PrincipalKind.SERVICE).setOwner("alice").build());
    LifecycleGrpcTest.Watch owner = watch(alice);
    LifecycleGrpcTest.Watch stranger = watch(bob);
    LifecycleGrpcTest.await(() -> coffer.vault.vault.lifecycle().events().subscriptionCount() == 2);
    String carolsKeys = new JWKSet(new RSAKeyGenerator(2048).generate().toPublicJWK()).toString();

    TrustedIssuerServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(carol)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder().setIssuer(
            TrustedIssuer.newBuilder().setIssuerId("own-keys")
                .setIssuer("https://keys.carol.example").setPurpose(IssuerPurpose.WORKLOADS)
                .addAudiences("coffer").setJwksJson(carolsKeys)
                .addBindings(ClaimBinding.newBuilder().setPrincipalId("billing")
                    .addClaims(ClaimMatch.newBuilder().setClaim("sub").setEquals("job")))).build());

    LifecycleEvent told = owner.events.poll(10, TimeUnit.SECONDS);
    assertNotNull(told, "the service's owner hears of the issuer");
    assertEquals("SIGN_IN_TRUSTED", told.getState());
    assertEquals("issuers/own-keys", told.getResource());
    coffer.vault.vault.lifecycle().events().flush();
    assertNull(stranger.events.poll(), "a stranger does not");
  }

  private LifecycleGrpcTest.Watch watch(String token) {
    LifecycleGrpcTest.Watch watch = new LifecycleGrpcTest.Watch(-1);
    LifecycleServiceGrpc.newStub(coffer.channel).withInterceptors(InProcessServer.bearer(token))
        .watchLifecycle(WatchLifecycleRequest.getDefaultInstance(), watch);
    return watch;
  }

  @Test
  void anOrdinaryPrincipal_issuesTokensForItself_butNotForAnother() {
    IssueTokenResponse own = issue(bob, "", "bob");
    assertEquals(0, own.getRevokedTokenCount());
    coffer.principals(own.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance());
    coffer.principals(bob).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> issue(bob, "", "alice"));
    coffer.principals(alice).whoAmI(WhoAmIRequest.getDefaultInstance());
  }

  @Test
  void aServicesOwner_issuesItsTokens_withoutRevokingTheOthers_andOthersCannot() {
    coffer.principals(carol).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setPrincipalId("billing").setKind(PrincipalKind.SERVICE).setOwner("alice").build());
    String first = issue(alice, "", "billing").getValue();
    IssueTokenResponse second = issue(alice, "", "billing");
    assertEquals(0, second.getRevokedTokenCount());
    coffer.principals(first).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> issue(bob, "", "billing"));
    assertEquals(2, coffer.tokens(alice).listTokens(ListTokensRequest.newBuilder()
        .setPrincipalId("billing").build()).getTokensCount());
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> coffer.tokens(bob)
        .listTokens(ListTokensRequest.newBuilder().setPrincipalId("billing").build()));
    assertInvalidField("owner", () -> coffer.principals(carol).createPrincipal(
        CreatePrincipalRequest.newBuilder().setPrincipalId("svc2")
            .setKind(PrincipalKind.SERVICE).setOwner("nobody").build()));
    assertInvalidField("owner", () -> coffer.principals(carol).createPrincipal(
        CreatePrincipalRequest.newBuilder().setPrincipalId("dave").setOwner("alice").build()));
  }

  @Test
  void theSystemAdministrator_handsATenantOver_andThenObtainsNoCredentialInIt() {
    coffer.tenants(sysadmin).createTenant(CreateTenantRequest.newBuilder()
        .setTenantId("acme").build());
    for (String p : new String[] {"ada", "olga"}) {
      coffer.principals(sysadmin).createPrincipal(CreatePrincipalRequest.newBuilder()
          .setTenantId("acme").setPrincipalId(p).setAdmin(p.equals("ada")).build());
    }
    assertReason(Status.Code.PERMISSION_DENIED, "CROSS_TENANT_CREDENTIAL",
        () -> issue(sysadmin, "acme", "olga"));
    String ada = issue(sysadmin, "acme", "ada").getValue();
    coffer.principals(ada).whoAmI(WhoAmIRequest.getDefaultInstance());

    assertReason(Status.Code.PERMISSION_DENIED, "CROSS_TENANT_CREDENTIAL",
        () -> issue(sysadmin, "acme", "ada"));
    coffer.principals(sysadmin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("mallory").setAdmin(true).build());
    assertReason(Status.Code.PERMISSION_DENIED, "CROSS_TENANT_CREDENTIAL",
        () -> issue(sysadmin, "acme", "mallory"));
    coffer.principals(ada).whoAmI(WhoAmIRequest.getDefaultInstance());

    List<AuditEvent> inAcme = audit(ada, "TOKEN_ISSUE");
    assertTrue(inAcme.stream().anyMatch(e -> e.getActor().equals("tenants/default/principals/admin")
        && e.getTarget().startsWith("tenants/acme/principals/ada/tokens/")
        && e.getOutcome().equals("ALLOWED")), inAcme.toString());
    assertTrue(inAcme.stream().anyMatch(e -> e.getTarget().equals("tenants/acme/principals/mallory")
        && e.getOutcome().equals("DENIED")
        && e.getReason().equals("CROSS_TENANT_CREDENTIAL")), inAcme.toString());
  }

  @Test
  void aWatch_endsWithUnauthenticated_whenItsTokenIsRevoked() throws Exception {
    LifecycleGrpcTest.Watch watch = new LifecycleGrpcTest.Watch(-1);
    LifecycleServiceGrpc.newStub(coffer.channel).withInterceptors(InProcessServer.bearer(bob))
        .watchLifecycle(WatchLifecycleRequest.getDefaultInstance(), watch);
    LifecycleGrpcTest.await(() -> coffer.vault.vault.lifecycle().events().subscriptionCount() == 1);
    String tokenId = coffer.tokens(bob).listTokens(ListTokensRequest.getDefaultInstance())
        .getTokens(0).getName();
    coffer.tokens(bob).revokeToken(RevokeTokenRequest.newBuilder().setName(tokenId).build());
    Throwable ended = watch.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(ended).getCode());
    LifecycleGrpcTest.await(() -> coffer.vault.vault.lifecycle().events().subscriptionCount() == 0);
  }

  @Test
  void oneCallersFailedVerifications_doNotLockOthersOut() {
    String real = coffer.secrets(alice).createSecret(CreateSecretRequest.newBuilder()
        .setParent(app).setDisplayName("real").setLocation("/").build()).getValue();
    String other = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("another_api").setEnvironment("production")
        .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getName();
    String wellFormedButWrong = coffer.secrets(alice).createSecret(CreateSecretRequest
        .newBuilder().setParent(other).setDisplayName("x").setLocation("/").build()).getValue();
    VerifySecretRequest guess = VerifySecretRequest.newBuilder().setClientId(clientId)
        .setValue(wellFormedButWrong).build();
    StatusRuntimeException limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      try {
        assertFalse(coffer.secrets(bob).verifySecret(guess).getMatch());
      } catch (StatusRuntimeException e) {
        limited = e;
      }
    }
    assertTrue(limited != null, "bob's failures were never limited");
    assertEquals("VERIFY_RATE_LIMITED", GrpcAssertions.reason(limited));
    assertTrue(coffer.secrets(carol).verifySecret(VerifySecretRequest.newBuilder()
        .setClientId(clientId).setValue(real).build()).getMatch());
    assertFalse(coffer.secrets(carol).verifySecret(guess).getMatch());
  }

  @Test
  void manyCallersTogether_stillMeetTheClientsCap() {
    String other = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("another_api").setEnvironment("production")
        .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getName();
    VerifySecretRequest guess = VerifySecretRequest.newBuilder().setClientId(clientId)
        .setValue(coffer.secrets(alice).createSecret(CreateSecretRequest.newBuilder()
            .setParent(other).setDisplayName("x").setLocation("/").build()).getValue()).build();
    int cap = 5 * SecretVerifier.CLIENT_CAP_FACTOR;
    int refused = 0;
    for (int p = 0; p < cap / 5 + 1; p++) {
      String id = "guesser" + p;
      coffer.principals(carol).createPrincipal(CreatePrincipalRequest.newBuilder()
          .setPrincipalId(id).build());
      String token = coffer.vault.tokenFor("default", id);
      for (int i = 0; i < 5; i++) {
        try {
          coffer.secrets(token).verifySecret(guess);
        } catch (StatusRuntimeException e) {
          refused++;
        }
      }
    }
    assertEquals(5, refused, "the sixth guesser should find the client's cap spent");
  }
}
