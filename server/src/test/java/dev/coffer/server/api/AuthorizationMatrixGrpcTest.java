package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.*;
import dev.coffer.api.v1.AdminServiceGrpc;
import dev.coffer.api.v1.CreateBackupRequest;
import dev.coffer.api.v1.DestroyKekKeyRequest;
import dev.coffer.api.v1.DisableKekKeyRequest;
import dev.coffer.api.v1.EnableKekKeyRequest;
import dev.coffer.api.v1.GetVaultStatusRequest;
import dev.coffer.api.v1.RotateKekRequest;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestSecrets;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every RPC × every role → the expected status code, generated from one table. Each role
 * acts on its "world": a shared vaulted secret, its application, a pending request on it
 * and an active grant on it. The owner without pre-approval has a world of its own; every
 * other role shares alice's. Mutating calls get fresh objects, so cells are independent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixGrpcTest {

  enum Role {
    ADMIN, OWNER_PREAPPROVED, OWNER_NOT_PREAPPROVED, GRANTEE_ACTIVE, GRANTEE_EXPIRED,
    GRANTEE_REVOKED, REQUESTER_PENDING, REQUESTER_DENIED, STRANGER, OTHER_TENANT,
    UNAUTHENTICATED
  }

  /** The objects a role acts on. */
  record World(String owner, String clientId, String secretId, String value,
      String pendingRequestId, String grantId, String jwtClientId) {}

  /** What a cell's call gets: the stubs for the caller, and the caller's world. */
  record Cell(InProcessServer coffer, String token, World world, String principal) {}

  record Row(String rpc, String expected, BiConsumer<Cell, String> call) {}

  private static final Map<Character, Status.Code> CODES = Map.of(
      'O', Status.Code.OK, 'D', Status.Code.PERMISSION_DENIED, 'N', Status.Code.NOT_FOUND,
      'U', Status.Code.UNAUTHENTICATED, 'F', Status.Code.FAILED_PRECONDITION);

  //                 roles: ADM OWP OWN GAC GEX GRV RPN RDN STR OTH UNA
  private final List<Row> table = List.of(
      row("CreateTenant", "D D D D D D D D D D U", (c, u) -> c.coffer().tenants(c.token())
          .createTenant(CreateTenantRequest.newBuilder().setTenantId("t" + u).build())),
      // The system administrator's alone (it is not one of these roles): a tenant's own
      // admins may not loosen the policy that binds them. Harmless if it went through.
      row("UpdateTenantPolicy", "D D D D D D D D D D U", (c, u) -> c.coffer().tenants(c.token())
          .updateTenantPolicy(UpdateTenantPolicyRequest.newBuilder().setName("tenants/default")
              .setPolicy(TenantPolicy.getDefaultInstance()).build())),
      row("GetTenant", "O O O O O O O O O N U", (c, u) -> c.coffer().tenants(c.token())
          .getTenant(GetTenantRequest.newBuilder().setName("tenants/default").build())),
      row("CreatePrincipal", "O D D D D D D D D D U", (c, u) -> c.coffer().principals(c.token())
          .createPrincipal(CreatePrincipalRequest.newBuilder().setPrincipalId("p" + u).build())),
      row("GetPrincipal", "O O O O O O O O O N U", (c, u) -> c.coffer().principals(c.token())
          .getPrincipal(GetPrincipalRequest.newBuilder()
              .setName("tenants/default/principals/alice").build())),
      row("ListPrincipals", "O O O O O O O O O O U", (c, u) -> c.coffer().principals(c.token())
          .listPrincipals(ListPrincipalsRequest.getDefaultInstance())),
      row("WhoAmI", "O O O O O O O O O O U", (c, u) -> c.coffer().principals(c.token())
          .whoAmI(WhoAmIRequest.getDefaultInstance())),
      // For another principal: a tenant admin only (it revokes that user's tokens; see
      // GovernanceGrpcTest). Another tenant's caller names a principal its tenant lacks: N.
      row("IssueToken", "O D D D D D D D D N U", (c, u) -> c.coffer().tokens(c.token())
          .issueToken(IssueTokenRequest.newBuilder().setPrincipalId("zed").build())),
      // For oneself: anyone (a new token of one's own; nobody else learns it).
      row("IssueToken (for oneself)", "O O O O O O O O O O U", (c, u) -> c.coffer()
          .tokens(c.token()).issueToken(IssueTokenRequest.newBuilder()
              .setPrincipalId(c.principal()).build())),
      row("ListTokens", "O D D D D D D D D N U", (c, u) -> c.coffer().tokens(c.token())
          .listTokens(ListTokensRequest.newBuilder().setPrincipalId("zed").build())),
      row("ListTokens (one's own)", "O O O O O O O O O O U", (c, u) -> c.coffer()
          .tokens(c.token()).listTokens(ListTokensRequest.getDefaultInstance())),
      row("RevokeToken", "O D D D D D D D D N U", (c, u) -> c.coffer().tokens(c.token())
          .revokeToken(RevokeTokenRequest.newBuilder().setName("tokens/" + freshToken())
              .build())),
      row("CreateLocation", "O D D D D D D D D D U", (c, u) -> c.coffer().locations(c.token())
          .createLocation(CreateLocationRequest.newBuilder().setPath("/L" + u).build())),
      row("ListLocations", "O O O O O O O O O O U", (c, u) -> c.coffer().locations(c.token())
          .listLocations(ListLocationsRequest.getDefaultInstance())),
      row("CreateApplication", "O O O O O O O O O O U", (c, u) -> c.coffer().apps(c.token())
          .createApplication(CreateApplicationRequest.newBuilder().setClientName("app_" + u)
              .setEnvironment("production").build())),
      row("GetApplication", "O O O O O O O O O N U", (c, u) -> c.coffer().apps(c.token())
          .getApplication(GetApplicationRequest.newBuilder()
              .setName("applications/" + c.world().clientId()).build())),
      row("ListApplications", "O O O O O O O O O O U", (c, u) -> c.coffer().apps(c.token())
          .listApplications(ListApplicationsRequest.getDefaultInstance())),
      row("CreateSecret", "O O O D D D D D D N U", (c, u) -> c.coffer().secrets(c.token())
          .createSecret(CreateSecretRequest.newBuilder()
              .setParent("applications/" + c.world().clientId()).setDisplayName("s" + u)
              .setLocation("/").build())),
      row("GetSecret", "O O O O O O O O O N U", (c, u) -> c.coffer().secrets(c.token())
          .getSecret(GetSecretRequest.newBuilder().setName(secret(c.world().secretId()))
              .build())),
      row("ListSecrets", "O O O O O O O O O O U", (c, u) -> c.coffer().secrets(c.token())
          .listSecrets(ListSecretsRequest.getDefaultInstance())),
      row("RevokeSecret", "O O O D D D D D D N U", (c, u) -> c.coffer().secrets(c.token())
          .revokeSecret(RevokeSecretRequest.newBuilder().setName(secret(freshSecret(c.world())))
              .build())),
      row("DeleteSecret", "O O O D D D D D D N U", (c, u) -> c.coffer().secrets(c.token())
          .deleteSecret(DeleteSecretRequest.newBuilder().setName(secret(freshSecret(c.world())))
              .build())),
      row("RotateSecret", "O O O D D D D D D N U", (c, u) -> c.coffer().secrets(c.token())
          .rotateSecret(RotateSecretRequest.newBuilder().setName(secret(freshSecret(c.world())))
              .build())),
      row("VerifySecret", "O O O O O O O O O N U", (c, u) -> c.coffer().secrets(c.token())
          .verifySecret(VerifySecretRequest.newBuilder().setClientId(c.world().clientId())
              .setValue(c.world().value()).build())),
      row("RevealSecret", "D O D O D D D D D N U", (c, u) -> c.coffer().secrets(c.token())
          .revealSecret(RevealSecretRequest.newBuilder().setName(secret(c.world().secretId()))
              .build())),
      row("StoreCredential", "O O O O O O O O O O U", (c, u) -> c.coffer().secrets(c.token())
          .storeCredential(StoreCredentialRequest.newBuilder().setDisplayName("c" + u)
              .setExternalClientId("ext").setValue("imported-" + "v".repeat(20))
              .setLocation("/").build())),
      row("CreateAccessRequest", "O O O O O O O O O N U", (c, u) -> access(c)
          .createAccessRequest(CreateAccessRequestRequest.newBuilder()
              .setSecret(secret(c.world().secretId())).setJustification("why")
              .setDuration(Durations.fromHours(1)).build())),
      row("GetAccessRequest", "O O O N N N O N N N U", (c, u) -> access(c)
          .getAccessRequest(GetAccessRequestRequest.newBuilder()
              .setName(request(c.world().pendingRequestId())).build())),
      row("ListAccessRequests", "O O O O O O O O O O U", (c, u) -> access(c)
          .listAccessRequests(ListAccessRequestsRequest.newBuilder().setPending(true).build())),
      row("ApproveAccessRequest", "O O O N N N N N N N U", (c, u) -> access(c)
          .approveAccessRequest(ApproveAccessRequestRequest.newBuilder()
              .setName(request(freshRequest(c.world()))).build())),
      row("DenyAccessRequest", "O O O N N N N N N N U", (c, u) -> access(c)
          .denyAccessRequest(DenyAccessRequestRequest.newBuilder()
              .setName(request(freshRequest(c.world()))).setReason("no").build())),
      row("CancelAccessRequest", "D D D N N N N N N N U", (c, u) -> access(c)
          .cancelAccessRequest(CancelAccessRequestRequest.newBuilder()
              .setName(request(freshRequest(c.world()))).build())),
      // Two people for every new path to plaintext: nobody grants itself, admins and owners
      // included.
      row("CreateGrant (to oneself)", "D D D D D D D D D N U", (c, u) -> grants(c)
          .createGrant(CreateGrantRequest.newBuilder().setSecret(secret(c.world().secretId()))
              .setGrantee(c.principal()).setExpireTime(Timestamps.fromMillis(
                  c.coffer().vault.clock.millis() + Duration.ofHours(1).toMillis())).build())),
      // ... nor approves its own request (another tenant's caller cannot see the secret).
      row("ApproveAccessRequest (one's own)", "D D D D D D D D D N U", (c, u) -> access(c)
          .approveAccessRequest(ApproveAccessRequestRequest.newBuilder()
              .setName(request(ownRequest(c))).build())),
      row("CreateGrant", "O O O D D D D D D N U", (c, u) -> grants(c)
          .createGrant(CreateGrantRequest.newBuilder().setSecret(secret(c.world().secretId()))
              .setGrantee("zed").setExpireTime(Timestamps.fromMillis(
                  c.coffer().vault.clock.millis() + Duration.ofHours(1).toMillis())).build())),
      row("GetGrant", "O O O O N N N N N N U", (c, u) -> grants(c)
          .getGrant(GetGrantRequest.newBuilder().setName("grants/" + c.world().grantId())
              .build())),
      row("ListGrants", "O O O D D D D D D N U", (c, u) -> grants(c)
          .listGrants(ListGrantsRequest.newBuilder().setSecret(secret(c.world().secretId()))
              .build())),
      row("RevokeGrant", "O O O N N N N N N N U", (c, u) -> grants(c)
          .revokeGrant(RevokeGrantRequest.newBuilder().setName("grants/" + freshGrant(c.world()))
              .build())),
      // The audit trail read is always the caller's own tenant's (no tenant in the request),
      // so another tenant's caller is an ordinary principal of its own tenant: D, not N.
      row("ListAuditEvents", "O D D D D D D D D D U", (c, u) -> audit(c)
          .listAuditEvents(ListAuditEventsRequest.getDefaultInstance())),
      row("ExportAuditEvents", "O D D D D D D D D D U", (c, u) -> audit(c)
          .exportAuditEvents(ExportAuditEventsRequest.getDefaultInstance())
          .forEachRemaining(e -> { })),
      // Verification is for the system administrator only, who is not one of these roles.
      row("VerifyAuditChain", "D D D D D D D D D D U", (c, u) -> audit(c)
          .verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance())),
      // Anyone may watch: a watch carries only what its caller may see (another tenant's
      // caller watches its own tenant). A watch stays open, so OK means "still open at a
      // short deadline" (or a first event).
      row("WatchLifecycle", "O O O O O O O O O O U", (c, u) -> watchBriefly(c)),
      // Vault administration is the system administrator's alone, checked before anything
      // else (an unknown key id is still PERMISSION_DENIED for everyone else).
      row("GetVaultStatus", "D D D D D D D D D D U", (c, u) -> admin(c)
          .getVaultStatus(GetVaultStatusRequest.getDefaultInstance())),
      row("RotateKek", "D D D D D D D D D D U", (c, u) -> admin(c)
          .rotateKek(RotateKekRequest.getDefaultInstance())),
      row("DisableKekKey", "D D D D D D D D D D U", (c, u) -> admin(c)
          .disableKekKey(DisableKekKeyRequest.newBuilder().setKeyId(1).build())),
      row("EnableKekKey", "D D D D D D D D D D U", (c, u) -> admin(c)
          .enableKekKey(EnableKekKeyRequest.newBuilder().setKeyId(1).build())),
      row("DestroyKekKey", "D D D D D D D D D D U", (c, u) -> admin(c)
          .destroyKekKey(DestroyKekKeyRequest.newBuilder().setKeyId(1).build())),
      row("CreateBackup", "D D D D D D D D D D U", (c, u) -> admin(c)
          .createBackup(CreateBackupRequest.getDefaultInstance())),
      // The cluster's operations likewise (this single node would then refuse the changes).
      row("GetClusterStatus", "D D D D D D D D D D U", (c, u) -> cluster(c)
          .getClusterStatus(dev.coffer.api.v1.GetClusterStatusRequest.getDefaultInstance())),
      row("TransferLeadership", "D D D D D D D D D D U", (c, u) -> cluster(c)
          .transferLeadership(dev.coffer.api.v1.TransferLeadershipRequest.getDefaultInstance())),
      row("TakeSnapshot", "D D D D D D D D D D U", (c, u) -> cluster(c)
          .takeSnapshot(dev.coffer.api.v1.TakeSnapshotRequest.getDefaultInstance())),
      row("RemovePeer", "D D D D D D D D D D U", (c, u) -> cluster(c).removePeer(
          dev.coffer.api.v1.RemovePeerRequest.newBuilder().setNodeId("n1").build())),
      row("AddPeer", "D D D D D D D D D D U", (c, u) -> cluster(c).addPeer(
          dev.coffer.api.v1.AddPeerRequest.newBuilder().setNodeId("n3")
              .setAddress("127.0.0.1:7000").build())),
      row("CreateScope", "O O O O O O O O O O U", (c, u) -> scopes(c)
          .createScope(CreateScopeRequest.newBuilder().setScopeId("orders.read" + u).build())),
      row("GetScope", "O O O O O O O O O N U", (c, u) -> scopes(c)
          .getScope(GetScopeRequest.newBuilder().setName("scopes/payments.read").build())),
      row("ListScopes", "O O O O O O O O O O U", (c, u) -> scopes(c)
          .listScopes(ListScopesRequest.getDefaultInstance())),
      // Releasing a quarantine changes the secret: like revoke and rotate.
      row("UnquarantineSecret", "O O O D D D D D D N U", (c, u) -> c.coffer().secrets(c.token())
          .unquarantineSecret(UnquarantineSecretRequest.newBuilder()
              .setName(secret(freshQuarantinedAndRotated(c.world()))).build())),
      // Public keys: any principal of the application's tenant.
      row("GetJwks", "O O O O O O O O O N U", (c, u) -> assertions(c)
          .getJwks(GetJwksRequest.newBuilder().setParent("applications/" + c.world().jwtClientId())
              .build())),
      // An answer for anyone: another tenant's caller learns ASSERTION_UNKNOWN_CLIENT, as for
      // a client that does not exist.
      row("VerifyClientAssertion", "O O O O O O O O O O U", (c, u) -> assertions(c)
          .verifyClientAssertion(VerifyClientAssertionRequest.newBuilder()
              .setClientId(c.world().jwtClientId()).setAssertion("not.a.jwt")
              .addAudiences("https://as.example").build())),
      // Trusted issuers: a tenant admin of that tenant (or the system administrator) only;
      // another tenant's caller is refused by policy before any lookup.
      row("CreateTrustedIssuer", "O D D D D D D D D D U", (c, u) -> issuers(c)
          .createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder().setIssuer(
              dev.coffer.api.v1.TrustedIssuer.newBuilder().setIssuerId("i" + u)
                  .setIssuer("https://people.example/" + u).setPurpose(IssuerPurpose.PEOPLE)
                  .addAudiences("coffer").setUserClaim("email").setClientId("cli")).build())),
      row("GetTrustedIssuer", "O D D D D D D D D D U", (c, u) -> issuers(c)
          .getTrustedIssuer(GetTrustedIssuerRequest.newBuilder()
              .setName("tenants/default/issuers/matrix").build())),
      row("ListTrustedIssuers", "O D D D D D D D D D U", (c, u) -> issuers(c)
          .listTrustedIssuers(ListTrustedIssuersRequest.getDefaultInstance())),
      row("DeleteTrustedIssuer", "O D D D D D D D D D U", (c, u) -> issuers(c)
          .deleteTrustedIssuer(DeleteTrustedIssuerRequest.newBuilder()
              .setName(freshIssuer()).build())),
      // Sign-in is open: the JWT, not a bearer token, decides (a valid one for everyone,
      // a malformed one for nobody).
      row("Login", "O O O O O O O O O O O", (c, u) -> login(c)
          .login(LoginRequest.newBuilder().setTenantId("default")
              .setSubjectToken(freshIdToken()).build())),
      row("Login (a malformed JWT)", "U U U U U U U U U U U", (c, u) -> login(c)
          .login(LoginRequest.newBuilder().setTenantId("default")
              .setSubjectToken("not.a.jwt").build())),
      row("ListLoginIssuers", "O O O O O O O O O O O", (c, u) -> login(c)
          .listLoginIssuers(ListLoginIssuersRequest.newBuilder().setTenantId("default")
              .build())),
      // The one open RPC: secret scanners report without an account.
      row("ReportLeak", "O O O O O O O O O O O", (c, u) -> LeakReportServiceGrpc
          .newBlockingStub(c.coffer().channel).withInterceptors(InProcessServer.bearer(c.token()))
          .reportLeak(ReportLeakRequest.newBuilder().setValue(unknownValue()).build())));

  private InProcessServer coffer;
  /** One vault and server for the whole matrix: a static field, closed after all tests. */
  @RegisterExtension
  static final CofferExtension fixture = CofferExtension.inProcessServer().build();
  private CallContext system;
  private final Map<Role, String> tokens = new EnumMap<>(Role.class);
  private final Map<Role, String> principals = new EnumMap<>(Role.class);
  private World alicesWorld;
  private World oscarsWorld;
  private String jwtClientId;
  private final AtomicInteger unique = new AtomicInteger();
  private static final String MATRIX_ISSUER = "https://people.example/matrix";
  private RSAKey matrixKey;

  @BeforeAll
  void setUp() throws Exception {
    coffer = fixture.coffer();
    system = coffer.vault.admin();
    var v = coffer.vault.vault;
    for (String p : List.of("tadmin", "alice", "oscar", "gina", "eve", "ron", "penny", "dan",
        "sam", "zed", "rita")) {
      v.directory().principals().create(system, "default", p, PrincipalKind.USER,
          p.equals("tadmin"));
    }
    v.directory().tenants().create(system, "acme", null);
    v.directory().principals().create(system, "acme", "olga", PrincipalKind.USER, false);
    jwtClientId = v.directory().applications().create(system, "signer_api", "production",
        SecurityType.SIGNED_JWT, OAuthFlow.CLIENT_CREDENTIALS, "alice")
        .application().clientId();
    alicesWorld = world("alice", "payments_api", true);
    oscarsWorld = world("oscar", "orders_api", false);
    v.directory().scopes().create(ctx("alice"), "payments.read", "", "alice");
    var now = coffer.vault.clock.instant();
    CallContext alice = ctx("alice");
    v.sharing().grants().create(alice, alicesWorld.secretId(), "eve", now.plusSeconds(60));
    var ron = v.sharing().grants().create(alice, alicesWorld.secretId(), "ron",
        now.plusSeconds(3600));
    v.sharing().grants().revoke(alice, ron.grantId(), "");
    AccessRequest denied = v.sharing().accessRequests().create(ctx("dan"), alicesWorld.secretId(),
        "why", Duration.ofHours(1));
    v.sharing().accessRequests().deny(alice, denied.requestId(), "no", "");
    coffer.vault.clock.advance(Duration.ofMinutes(2));
    matrixKey = new RSAKeyGenerator(2048).keyID("matrix-1").generate();
    v.identity().issuers().create(system, "default", dev.coffer.server.domain.TrustedIssuer
        .builder().issuerId("matrix").issuer(MATRIX_ISSUER)
        .purpose(dev.coffer.server.domain.IssuerPurpose.PEOPLE).audiences(List.of("coffer"))
        .userClaim("preferred_username").clientId("cli").createUsers(true)
        .jwksJson(new JWKSet(matrixKey.toPublicJWK()).toString()).build());
    Map<Role, String[]> who = Map.of(Role.ADMIN, new String[] {"default", "tadmin"},
        Role.OWNER_PREAPPROVED, new String[] {"default", "alice"},
        Role.OWNER_NOT_PREAPPROVED, new String[] {"default", "oscar"},
        Role.GRANTEE_ACTIVE, new String[] {"default", "gina"},
        Role.GRANTEE_EXPIRED, new String[] {"default", "eve"},
        Role.GRANTEE_REVOKED, new String[] {"default", "ron"},
        Role.REQUESTER_PENDING, new String[] {"default", "penny"},
        Role.REQUESTER_DENIED, new String[] {"default", "dan"},
        Role.STRANGER, new String[] {"default", "sam"},
        Role.OTHER_TENANT, new String[] {"acme", "olga"});
    who.forEach((role, p) -> {
      tokens.put(role, SIGNED_IN_THROUGH_THE_ISSUER.contains(role) ? signIn(p[1])
          : coffer.vault.tokenFor(p[0], p[1]));
      principals.put(role, p[1]);
    });
    principals.put(Role.UNAUTHENTICATED, "nobody");
  }

  /** A shared vaulted secret owned by {@code owner}, a pending request by penny, a grant for gina. */
  private World world(String owner, String appName, boolean preapprove) {
    var v = coffer.vault.vault;
    String clientId = v.directory().applications().create(system, appName, "production", null,
        OAuthFlow.AUTHORIZATION_CODE, owner).application().clientId();
    var minted = TestSecrets.create(v, ctx(owner), clientId, SecretRequest.builder()
        .displayName("target").location("/").vaulted(true).sharingEnabled(true).owner(owner)
        .preapproveOwner(preapprove).build());
    String secretId = minted.stored().metadata().secretId();
    String pending = v.sharing().accessRequests().create(ctx("penny"), secretId, "why",
        Duration.ofHours(1)).requestId();
    String grant = v.sharing().grants().create(ctx(owner), secretId, "gina",
        coffer.vault.clock.instant().plus(Duration.ofDays(1))).grantId();
    return new World(owner, clientId, secretId, minted.value().reveal(), pending, grant,
        jwtClientId);
  }

  private CallContext ctx(String principal) {
    return coffer.vault.as(coffer.vault.vault.directory().principals().get(system, "default",
        principal));
  }

  private String freshSecret(World w) {
    return TestSecrets.create(coffer.vault.vault, ctx(w.owner()), w.clientId(),
        SecretRequest.builder()
        .displayName("fresh").location("/").vaulted(true).sharingEnabled(true).owner(w.owner())
        .build()).stored().metadata()
        .secretId();
  }

  /** A fresh secret of {@code w}, reported leaked (quarantined), then rotated by its owner. */
  private String freshQuarantinedAndRotated(World w) {
    var v = coffer.vault.vault;
    var minted = TestSecrets.create(v, ctx(w.owner()), w.clientId(), SecretRequest.builder()
        .displayName("leaky").location("/").vaulted(true).sharingEnabled(true).owner(w.owner())
        .build());
    try (minted) {
      v.secrets().leakReports().report("req-matrix", null, minted.value());
    }
    String id = minted.stored().metadata().secretId();
    v.secrets().rotator().rotate(ctx(w.owner()), id, Duration.ofHours(1), "").close();
    return id;
  }

  private static String unknownValue() {
    try (var value = new SecretGenerator().generate(
        ValueFormat.CLIENT_SECRET)) {
      return value.reveal();
    }
  }

  private String freshRequest(World w) {
    return coffer.vault.vault.sharing().accessRequests().create(ctx("rita"), w.secretId(), "why",
        Duration.ofHours(1)).requestId();
  }

  /**
   * A request of the cell's own principal on its world's secret, made before the call; for
   * a principal that cannot make one (another tenant's, unauthenticated), rita's.
   */
  private String ownRequest(Cell c) {
    try {
      return coffer.vault.vault.sharing().accessRequests().create(ctx(c.principal()),
          c.world().secretId(), "why", Duration.ofHours(1)).requestId();
    } catch (RuntimeException e) {
      return freshRequest(c.world());
    }
  }

  private String freshGrant(World w) {
    return coffer.vault.vault.sharing().grants().create(ctx(w.owner()), w.secretId(), "zed",
        coffer.vault.clock.instant().plus(Duration.ofHours(1))).grantId();
  }

  /** A PEOPLE issuer of the default tenant, made for one cell to delete. */
  private String freshIssuer() {
    String id = "del-" + unique.incrementAndGet();
    return coffer.vault.vault.identity().issuers().create(system, "default",
        dev.coffer.server.domain.TrustedIssuer.builder().issuerId(id)
            .issuer("https://people.example/" + id)
            .purpose(dev.coffer.server.domain.IssuerPurpose.PEOPLE)
            .audiences(List.of("coffer")).userClaim("email").clientId("cli").build())
        .resourceName();
  }

  /**
   * Roles whose token comes from a federated sign-in (Login with an ID token of the matrix's
   * people issuer) rather than from IssueToken: every row must hold for them unchanged, since
   * a federated principal is a principal like any other.
   */
  private static final Set<Role> SIGNED_IN_THROUGH_THE_ISSUER =
      Set.of(Role.ADMIN, Role.GRANTEE_ACTIVE, Role.STRANGER);

  /** {@code person}'s Coffer token from Login, as `coffer login` gets it. */
  private String signIn(String person) {
    return LoginServiceGrpc.newBlockingStub(coffer.channel).login(LoginRequest.newBuilder()
        .setTenantId("default").setSubjectToken(freshIdToken(person))
        .setSubjectTokenType("urn:ietf:params:oauth:token-type:id_token").build())
        .getAccessToken();
  }

  /** A single-use ID token of the matrix issuer for the person "matrix-user". */
  private String freshIdToken() {
    return freshIdToken("matrix-user");
  }

  /** A single-use ID token of the matrix issuer for {@code person}. */
  private String freshIdToken(String person) {
    Instant now = coffer.vault.clock.instant();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("matrix-1")
          .build(), new JWTClaimsSet.Builder().issuer(MATRIX_ISSUER).audience("coffer")
          .subject("u-" + person).claim("preferred_username", person)
          .jwtID("jti-" + unique.incrementAndGet()).issueTime(Date.from(now))
          .expirationTime(Date.from(now.plusSeconds(300))).build());
      jwt.sign(new RSASSASigner(matrixKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TrustedIssuerServiceGrpc.TrustedIssuerServiceBlockingStub issuers(Cell c) {
    return TrustedIssuerServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static LoginServiceGrpc.LoginServiceBlockingStub login(Cell c) {
    return LoginServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private String freshToken() {
    return coffer.vault.vault.directory().tokens().issue(system, "default", "zed", null, "").token()
        .tokenId();
  }

  @TestFactory
  Stream<DynamicTest> everyRpcTimesEveryRole() {
    Set<String> rpcs = new TreeSet<>();
    TransportGrpcTest.allMethods().forEach(m -> rpcs.add(m.getBareMethodName()));
    Set<String> rows = new TreeSet<>();
    table.forEach(r -> rows.add(r.rpc().split(" ")[0]));
    assertEquals(rpcs, rows, "the table must list every RPC");
    List<DynamicTest> cells = new ArrayList<>();
    for (Row row : table) {
      String[] codes = row.expected().split(" ");
      assertEquals(Role.values().length, codes.length, row.rpc());
      for (Role role : Role.values()) {
        Status.Code expected = CODES.get(codes[role.ordinal()].charAt(0));
        cells.add(DynamicTest.dynamicTest(row.rpc() + " × " + role + " → " + expected,
            () -> assertEquals(expected, outcome(row, role), row.rpc() + " as " + role)));
      }
    }
    return cells.stream();
  }

  private Status.Code outcome(Row row, Role role) {
    World world = role == Role.OWNER_NOT_PREAPPROVED ? oscarsWorld : alicesWorld;
    try {
      row.call().accept(new Cell(coffer, tokens.get(role), world, principals.get(role)),
          Integer.toString(unique.incrementAndGet()));
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static Row row(String rpc, String expected, BiConsumer<Cell, String> call) {
    return new Row(rpc, expected, call);
  }

  private static String secret(String id) {
    return "secrets/" + id;
  }

  private static String request(String id) {
    return "accessRequests/" + id;
  }

  private static AccessServiceGrpc.AccessServiceBlockingStub access(Cell c) {
    return AccessServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static GrantServiceGrpc.GrantServiceBlockingStub grants(Cell c) {
    return GrantServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static void watchBriefly(Cell c) {
    try {
      LifecycleServiceGrpc.newBlockingStub(c.coffer().channel)
          .withInterceptors(InProcessServer.bearer(c.token()))
          .withDeadlineAfter(200, TimeUnit.MILLISECONDS)
          .watchLifecycle(WatchLifecycleRequest.newBuilder()
              .addResources(secret(c.world().secretId())).build())
          .hasNext();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
    }
  }

  private static AdminServiceGrpc.AdminServiceBlockingStub admin(Cell c) {
    return AdminServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static dev.coffer.api.v1.ClusterServiceGrpc.ClusterServiceBlockingStub cluster(
      Cell c) {
    return dev.coffer.api.v1.ClusterServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static ScopeServiceGrpc.ScopeServiceBlockingStub scopes(Cell c) {
    return ScopeServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static ClientAssertionServiceGrpc.ClientAssertionServiceBlockingStub assertions(
      Cell c) {
    return ClientAssertionServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }

  private static AuditServiceGrpc.AuditServiceBlockingStub audit(Cell c) {
    return AuditServiceGrpc.newBlockingStub(c.coffer().channel)
        .withInterceptors(InProcessServer.bearer(c.token()));
  }
}
