package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.GetApplicationRequest;
import dev.coffer.api.v1.GetPrincipalRequest;
import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.ListApplicationsRequest;
import dev.coffer.api.v1.ListLocationsRequest;
import dev.coffer.api.v1.ListPrincipalsRequest;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tenants, principals, tokens, locations and applications over the real interceptors. */
class DirectoryGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String admin;
  String alice;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
    admin = coffer.vault.adminToken;
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setPrincipalId("alice").build());
    alice = coffer.vault.tokenFor("default", "alice");
  }

  @Test
  void systemAdmin_bootstrapsAnotherTenant() {
    var tenant = coffer.tenants(admin).createTenant(CreateTenantRequest.newBuilder()
        .setTenantId("acme").build());
    assertEquals("tenants/acme", tenant.getName());
    assertEquals(730, Durations.toDays(tenant.getPolicy().getMaxSecretLifetime()));
    var carol = coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("carol").setAdmin(true).build());
    assertEquals("tenants/acme/principals/carol", carol.getName());
    IssueTokenResponse issued = coffer.tokens(admin).issueToken(IssueTokenRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("carol").build());
    assertTrue(issued.getValue().startsWith("cfr_at_"));
    var me = coffer.principals(issued.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertEquals("acme", me.getTenantId());
    assertEquals("acme", coffer.tenants(issued.getValue()).getTenant(GetTenantRequest
        .newBuilder().setName("tenants/acme").build()).getTenantId());
    assertReason(Status.Code.NOT_FOUND, "TENANT_NOT_FOUND", () -> coffer.tenants(
        issued.getValue()).getTenant(GetTenantRequest.newBuilder().setName("tenants/default")
            .build()));
  }

  @Test
  void tenantAdminOfAnotherTenant_cannotReachThisOne() {
    coffer.tenants(admin).createTenant(CreateTenantRequest.newBuilder().setTenantId("acme")
        .build());
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("carol").setAdmin(true).build());
    String carol = coffer.vault.tokenFor("acme", "carol");
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN", () -> coffer.principals(carol)
        .createPrincipal(CreatePrincipalRequest.newBuilder().setTenantId("default")
            .setPrincipalId("mallory").setAdmin(true).build()));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN", () -> coffer.tenants(carol)
        .createTenant(CreateTenantRequest.newBuilder().setTenantId("evil").build()));
    assertReason(Status.Code.NOT_FOUND, "PRINCIPAL_NOT_FOUND", () -> coffer.principals(carol)
        .getPrincipal(GetPrincipalRequest.newBuilder()
            .setName("tenants/default/principals/alice").build()));
    assertReason(Status.Code.NOT_FOUND, "TENANT_NOT_FOUND", () -> coffer.principals(carol)
        .listPrincipals(ListPrincipalsRequest.newBuilder().setTenantId("default").build()));
    assertEquals(List.of("carol"), coffer.principals(carol).listPrincipals(
        ListPrincipalsRequest.getDefaultInstance()).getPrincipalsList().stream()
        .map(p -> p.getPrincipalId()).toList());
  }

  @Test
  void otherTenant_seesNoneOfThisTenantsDirectory() {
    String clientId = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production").build())
        .getApplication().getClientId();
    coffer.locations(admin).createLocation(CreateLocationRequest.newBuilder()
        .setPath("/Finance").build());
    IssueTokenResponse aliceToken = coffer.tokens(admin).issueToken(IssueTokenRequest
        .newBuilder().setPrincipalId("alice").build());
    coffer.tenants(admin).createTenant(CreateTenantRequest.newBuilder().setTenantId("acme")
        .build());
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("carol").setAdmin(true).build());
    String carol = coffer.vault.tokenFor("acme", "carol");
    assertReason(Status.Code.NOT_FOUND, "APPLICATION_NOT_FOUND", () -> coffer.apps(carol)
        .getApplication(GetApplicationRequest.newBuilder().setName("applications/" + clientId)
            .build()));
    assertEquals(0, coffer.apps(carol).listApplications(ListApplicationsRequest
        .getDefaultInstance()).getApplicationsCount());
    assertEquals(List.of("/"), coffer.locations(carol).listLocations(ListLocationsRequest
        .getDefaultInstance()).getLocationsList().stream().map(l -> l.getPath()).toList());
    assertReason(Status.Code.NOT_FOUND, "TOKEN_NOT_FOUND", () -> coffer.tokens(carol)
        .revokeToken(RevokeTokenRequest.newBuilder().setName(aliceToken.getToken().getName())
            .build()));
    coffer.principals(aliceToken.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance());
  }

  @Test
  void ordinaryPrincipal_cannotManagePrincipalsTokensOrLocations() {
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> coffer.principals(alice)
        .createPrincipal(CreatePrincipalRequest.newBuilder().setPrincipalId("bob").build()));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> coffer.tokens(alice)
        .issueToken(IssueTokenRequest.newBuilder().setPrincipalId("admin").build()));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> coffer.locations(alice)
        .createLocation(CreateLocationRequest.newBuilder().setPath("/X").build()));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN", () -> coffer.tenants(alice)
        .createTenant(CreateTenantRequest.newBuilder().setTenantId("x1").build()));
  }

  @Test
  void directoryBadInput_namesTheField() {
    assertInvalidField("tenant_id", () -> coffer.tenants(admin).createTenant(
        CreateTenantRequest.newBuilder().setTenantId("Bad Tenant").build()));
    assertInvalidField("policy.max_secret_lifetime", () -> coffer.tenants(admin).createTenant(
        CreateTenantRequest.newBuilder().setTenantId("acme").setPolicy(
            dev.coffer.api.v1.TenantPolicy.newBuilder().setMaxSecretLifetime(
                Durations.fromSeconds(-1))).build()));
    assertInvalidField("principal_id", () -> coffer.principals(admin).createPrincipal(
        CreatePrincipalRequest.newBuilder().setPrincipalId("a b").build()));
    assertInvalidField("name", () -> coffer.principals(admin).getPrincipal(
        GetPrincipalRequest.newBuilder().setName("principals/alice").build()));
    assertInvalidField("ttl", () -> coffer.tokens(admin).issueToken(IssueTokenRequest
        .newBuilder().setPrincipalId("alice").setTtl(Durations.fromDays(400)).build()));
    assertInvalidField("name", () -> coffer.tokens(admin).revokeToken(RevokeTokenRequest
        .newBuilder().setName("tok_x").build()));
    assertInvalidField("path", () -> coffer.locations(admin).createLocation(
        CreateLocationRequest.newBuilder().setPath("/a//b").build()));
    assertInvalidField("client_name", () -> coffer.apps(admin).createApplication(
        CreateApplicationRequest.newBuilder().setClientName("abc").setEnvironment("prod")
            .build()));
    assertInvalidField("client_name", () -> coffer.apps(admin).createApplication(
        CreateApplicationRequest.newBuilder().setClientName("pay-ments").setEnvironment("prod")
            .build()));
    assertInvalidField("environment", () -> coffer.apps(admin).createApplication(
        CreateApplicationRequest.newBuilder().setClientName("payments").build()));
    assertInvalidField("owner", () -> coffer.apps(admin).createApplication(
        CreateApplicationRequest.newBuilder().setClientName("payments").setEnvironment("prod")
            .setOwner("ghost").build()));
  }

  @Test
  void revokedToken_stopsWorkingAtOnce() {
    IssueTokenResponse issued = coffer.tokens(admin).issueToken(IssueTokenRequest.newBuilder()
        .setPrincipalId("alice").setDescription("laptop").build());
    coffer.principals(issued.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance());
    coffer.tokens(issued.getValue()).revokeToken(RevokeTokenRequest.newBuilder()
        .setName(issued.getToken().getName()).build());
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_REVOKED", () -> coffer.principals(
        issued.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance()));
  }

  @Test
  void locations_createAncestorsAndListSubtrees() {
    coffer.locations(admin).createLocation(CreateLocationRequest.newBuilder()
        .setPath("/Finance/Payments").build());
    coffer.locations(admin).createLocation(CreateLocationRequest.newBuilder()
        .setPath("/Finance2").build());
    assertReason(Status.Code.ALREADY_EXISTS, "ALREADY_EXISTS", () -> coffer.locations(admin)
        .createLocation(CreateLocationRequest.newBuilder().setPath("/Finance").build()));
    assertEquals(List.of("/", "/Finance", "/Finance/Payments", "/Finance2"),
        paths(ListLocationsRequest.getDefaultInstance()));
    assertEquals(List.of("/Finance", "/Finance/Payments"),
        paths(ListLocationsRequest.newBuilder().setUnder("/Finance").build()));
  }

  private List<String> paths(ListLocationsRequest req) {
    return coffer.locations(alice).listLocations(req).getLocationsList().stream()
        .map(l -> l.getPath()).toList();
  }

  @Test
  void clientCredentialsApplication_getsItsFirstSecretOnce() {
    CreateApplicationResponse created = coffer.apps(alice).createApplication(
        CreateApplicationRequest.newBuilder().setClientName("payments_api")
            .setEnvironment("production").build());
    String value = created.getInitialSecretValue();
    assertTrue(value.startsWith("cfr_cs_"));
    assertEquals("alice", created.getApplication().getOwner());
    assertTrue(coffer.secrets(admin).verifySecret(VerifySecretRequest.newBuilder()
        .setClientId(created.getApplication().getClientId()).setValue(value).build())
        .getMatch());
    var got = coffer.apps(alice).getApplication(GetApplicationRequest.newBuilder()
        .setName(created.getApplication().getName()).build());
    assertFalse(got.toString().contains(value));
    assertEquals(1, coffer.apps(alice).listApplications(ListApplicationsRequest
        .getDefaultInstance()).getApplicationsCount());
  }

  @Test
  void clientName_isUniquePerTenantAndEnvironment_ignoringCase() {
    coffer.apps(admin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production").build());
    assertReason(Status.Code.ALREADY_EXISTS, "ALREADY_EXISTS", () -> coffer.apps(admin)
        .createApplication(CreateApplicationRequest.newBuilder().setClientName("Payments_API")
            .setEnvironment("production").build()));
    coffer.apps(admin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("development").build());
  }

  @Test
  void ordinaryPrincipal_cannotRegisterAnApplicationForSomeoneElse() {
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN", () -> coffer.apps(alice)
        .createApplication(CreateApplicationRequest.newBuilder().setClientName("payments_api")
            .setEnvironment("production").setOwner("admin").build()));
  }

  @Test
  void signedJwtApplication_getsKeyPairs_notClientSecrets() {
    CreateApplicationResponse created = coffer.apps(admin).createApplication(
        CreateApplicationRequest.newBuilder().setClientName("jwt_client")
            .setEnvironment("production").setSecurityType(SecurityType.SIGNED_JWT).build());
    assertTrue(created.getInitialSecretValue().startsWith("-----BEGIN PRIVATE KEY-----"));
    assertTrue(created.getInitialPrivateKeyJwk().contains("\"d\""));
    assertEquals(dev.coffer.api.v1.SecretKind.JWT_SIGNING_KEY,
        created.getInitialSecret().getKind());
    var key = coffer.secrets(admin).createSecret(CreateSecretRequest.newBuilder()
        .setParent(created.getApplication().getName()).setDisplayName("k").setLocation("/")
        .build());
    assertEquals(dev.coffer.api.v1.KeyAlgorithm.ES256, key.getSecret().getKeyAlgorithm());
    assertTrue(key.getPrivateKeyJwk().contains("\"kid\":\"" + key.getSecret().getKid() + "\""));
    assertTrue(key.getValue().startsWith("-----BEGIN PRIVATE KEY-----"));
  }
}
