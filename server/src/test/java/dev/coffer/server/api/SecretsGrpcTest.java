package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevokeSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretState;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every SecretService RPC over the real interceptors: happy path, bad input, isolation. */
class SecretsGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String admin;
  String alice;
  String clientId;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
    admin = coffer.vault.adminToken;
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setPrincipalId("alice").build());
    alice = coffer.vault.tokenFor("default", "alice");
    coffer.locations(admin).createLocation(CreateLocationRequest.newBuilder()
        .setPath("/Finance").build());
    clientId = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production")
        .setFlow(dev.coffer.api.v1.OAuthFlow.AUTHORIZATION_CODE).build())
        .getApplication().getClientId();
  }

  CreateSecretRequest.Builder request() {
    return CreateSecretRequest.newBuilder().setParent("applications/" + clientId)
        .setDisplayName("ci-deploy").setLocation("/Finance");
  }

  @Test
  void createThenDescribe_neverShowsTheValueAgain() {
    CreateSecretResponse created = coffer.secrets(alice).createSecret(request().build());
    String value = created.getValue();
    assertTrue(value.startsWith("cfr_cs_"));
    Secret got = coffer.secrets(alice).getSecret(GetSecretRequest.newBuilder()
        .setName(created.getSecret().getName()).build());
    ListSecretsResponse list = coffer.secrets(alice).listSecrets(ListSecretsRequest
        .getDefaultInstance());
    assertEquals(SecretState.ACTIVE, got.getState());
    assertEquals(value.substring(7, 10), got.getHint());
    assertFalse(got.toString().contains(value));
    assertFalse(list.toString().contains(value));
    assertFalse(list.toString().contains(value.substring(7)));
    assertEquals(1, list.getSecretsCount());
  }

  @Test
  void create_badInputNamesTheField() {
    assertInvalidField("parent", () -> coffer.secrets(alice).createSecret(request()
        .setParent("apps/x").build()));
    assertInvalidField("display_name", () -> coffer.secrets(alice).createSecret(request()
        .setDisplayName("").build()));
    assertInvalidField("sharing_enabled", () -> coffer.secrets(alice).createSecret(request()
        .setSharingEnabled(true).build()));
    assertInvalidField("location", () -> coffer.secrets(alice).createSecret(request()
        .setLocation("Finance").build()));
    assertInvalidField("location", () -> coffer.secrets(alice).createSecret(request()
        .setLocation("/Nowhere").build()));
    assertInvalidField("owner", () -> coffer.secrets(alice).createSecret(request()
        .setOwner("nobody").build()));
    assertInvalidField("expire_time", () -> coffer.secrets(alice).createSecret(request()
        .setExpireTime(Timestamps.fromSeconds(1)).build()));
    assertInvalidField("expire_time", () -> coffer.secrets(alice).createSecret(request()
        .setExpireTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))
        .build()));
    assertInvalidField("never_expires", () -> coffer.secrets(alice).createSecret(request()
        .setNeverExpires(true).build()));
    assertEquals(0, coffer.secrets(admin).listSecrets(ListSecretsRequest.getDefaultInstance())
        .getSecretsCount(), "bad input changes nothing");
  }

  @Test
  void neverExpires_isAllowedWhereTheTenantPolicySaysSo() {
    coffer.tenants(admin).createTenant(CreateTenantRequest.newBuilder().setTenantId("acme")
        .setPolicy(dev.coffer.api.v1.TenantPolicy.newBuilder().setAllowNeverExpire(true))
        .build());
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("carol").setAdmin(true).build());
    String carol = coffer.vault.tokenFor("acme", "carol");
    String acmeApp = coffer.apps(carol).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("orders_api").setEnvironment("production").build())
        .getApplication().getClientId();
    Secret s = coffer.secrets(carol).createSecret(CreateSecretRequest.newBuilder()
        .setParent("applications/" + acmeApp).setDisplayName("forever").setLocation("/")
        .setNeverExpires(true).build()).getSecret();
    assertFalse(s.hasExpireTime());
  }

  @Test
  void verify_matchesAndMismatches_andRejectsMalformed() {
    String value = coffer.secrets(alice).createSecret(request().build()).getValue();
    assertTrue(coffer.secrets(admin).verifySecret(VerifySecretRequest.newBuilder()
        .setClientId(clientId).setValue(value).build()).getMatch());
    String other = coffer.secrets(alice).createSecret(request().build()).getValue();
    coffer.secrets(alice).listSecrets(ListSecretsRequest.getDefaultInstance());
    char[] typo = value.toCharArray();
    typo[20] = typo[20] == 'a' ? 'b' : 'a';
    assertInvalidField("value", () -> coffer.secrets(admin).verifySecret(VerifySecretRequest
        .newBuilder().setClientId(clientId).setValue(new String(typo)).build()));
    assertInvalidField("client_id", () -> coffer.secrets(admin).verifySecret(VerifySecretRequest
        .newBuilder().setValue(value).build()));
    assertTrue(coffer.secrets(admin).verifySecret(VerifySecretRequest.newBuilder()
        .setClientId(clientId).setValue(other).build()).getMatch());
  }

  @Test
  void reveal_vaultedForPreapprovedOwner_deniedWithReasonOtherwise() {
    CreateSecretResponse vaulted = coffer.secrets(alice).createSecret(request().setVaulted(true)
        .setPreapproveOwner(true).build());
    assertEquals(vaulted.getValue(), coffer.secrets(alice).revealSecret(RevealSecretRequest
        .newBuilder().setName(vaulted.getSecret().getName()).build()).getValue());
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SHARED", () -> coffer.secrets(admin)
        .revealSecret(RevealSecretRequest.newBuilder().setName(vaulted.getSecret().getName())
            .build()));
    CreateSecretResponse plain = coffer.secrets(alice).createSecret(request().build());
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_VAULTED", () -> coffer.secrets(alice)
        .revealSecret(RevealSecretRequest.newBuilder().setName(plain.getSecret().getName())
            .build()));
  }

  @Test
  void revokeAndDelete_withEtags() {
    Secret s = coffer.secrets(alice).createSecret(request().build()).getSecret();
    assertReason(Status.Code.ABORTED, "ETAG_MISMATCH", () -> coffer.secrets(alice)
        .revokeSecret(RevokeSecretRequest.newBuilder().setName(s.getName()).setEtag("r9")
            .build()));
    Secret revoked = coffer.secrets(alice).revokeSecret(RevokeSecretRequest.newBuilder()
        .setName(s.getName()).setEtag(s.getEtag()).build());
    assertEquals(SecretState.REVOKED, revoked.getState());
    assertReason(Status.Code.FAILED_PRECONDITION, "ALREADY_REVOKED", () -> coffer.secrets(alice)
        .revokeSecret(RevokeSecretRequest.newBuilder().setName(s.getName()).build()));
    coffer.secrets(alice).deleteSecret(DeleteSecretRequest.newBuilder().setName(s.getName())
        .build());
    assertReason(Status.Code.NOT_FOUND, "SECRET_NOT_FOUND", () -> coffer.secrets(alice)
        .getSecret(GetSecretRequest.newBuilder().setName(s.getName()).build()));
  }

  @Test
  void list_badInputNamesTheField() {
    assertInvalidField("page_size", () -> coffer.secrets(alice).listSecrets(ListSecretsRequest
        .newBuilder().setPageSize(-1).build()));
    assertInvalidField("page_size", () -> coffer.secrets(alice).listSecrets(ListSecretsRequest
        .newBuilder().setPageSize(5000).build()));
    assertInvalidField("page_token", () -> coffer.secrets(alice).listSecrets(ListSecretsRequest
        .newBuilder().setPageToken("!!!").build()));
    assertInvalidField("expiring_within", () -> coffer.secrets(alice).listSecrets(
        ListSecretsRequest.newBuilder().setExpiringWithin(Durations.fromSeconds(-5)).build()));
    assertInvalidField("location", () -> coffer.secrets(alice).listSecrets(ListSecretsRequest
        .newBuilder().setLocation("/../etc").build()));
  }

  @Test
  void list_expiringWithin_showsOnlyActiveSecretsInTheWindow() {
    coffer.secrets(alice).createSecret(request().setExpireTime(Timestamps.fromMillis(
        coffer.vault.clock.millis() + Duration.ofDays(5).toMillis())).build());
    coffer.secrets(alice).createSecret(request().build());
    ListSecretsResponse soon = coffer.secrets(alice).listSecrets(ListSecretsRequest.newBuilder()
        .setExpiringWithin(Durations.fromDays(7)).build());
    assertEquals(1, soon.getSecretsCount());
    coffer.vault.clock.advance(Duration.ofDays(6));
    assertEquals(0, coffer.secrets(alice).listSecrets(ListSecretsRequest.newBuilder()
        .setExpiringWithin(Durations.fromDays(7)).build()).getSecretsCount());
  }

  @Test
  void otherTenant_getsNotFoundForEverything() {
    CreateSecretResponse created = coffer.secrets(alice).createSecret(request().setVaulted(true)
        .setPreapproveOwner(true).build());
    coffer.tenants(admin).createTenant(CreateTenantRequest.newBuilder().setTenantId("acme")
        .build());
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId("alice").setAdmin(true).build());
    String acmeAlice = coffer.vault.tokenFor("acme", "alice");
    String name = created.getSecret().getName();
    assertReason(Status.Code.NOT_FOUND, "SECRET_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .getSecret(GetSecretRequest.newBuilder().setName(name).build()));
    assertReason(Status.Code.NOT_FOUND, "SECRET_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .revealSecret(RevealSecretRequest.newBuilder().setName(name).build()));
    assertReason(Status.Code.NOT_FOUND, "SECRET_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .deleteSecret(DeleteSecretRequest.newBuilder().setName(name).build()));
    assertReason(Status.Code.NOT_FOUND, "SECRET_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .revokeSecret(RevokeSecretRequest.newBuilder().setName(name).build()));
    assertReason(Status.Code.NOT_FOUND, "APPLICATION_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .createSecret(request().build()));
    assertReason(Status.Code.NOT_FOUND, "APPLICATION_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .verifySecret(VerifySecretRequest.newBuilder().setClientId(clientId)
            .setValue(created.getValue()).build()));
    assertEquals(0, coffer.secrets(acmeAlice).listSecrets(ListSecretsRequest
        .getDefaultInstance()).getSecretsCount());
    assertReason(Status.Code.NOT_FOUND, "APPLICATION_NOT_FOUND", () -> coffer.secrets(acmeAlice)
        .listSecrets(ListSecretsRequest.newBuilder().setParent("applications/" + clientId)
            .build()));
  }

  @Test
  void rejectedVerifications_areRateLimited() {
    String value = coffer.secrets(alice).createSecret(request().build()).getValue();
    String name = coffer.secrets(alice).listSecrets(ListSecretsRequest.getDefaultInstance())
        .getSecrets(0).getName();
    coffer.secrets(alice).revokeSecret(RevokeSecretRequest.newBuilder().setName(name).build());
    VerifySecretRequest req = VerifySecretRequest.newBuilder().setClientId(clientId)
        .setValue(value).build();
    for (int i = 0; i < 5; i++) {
      assertFalse(coffer.secrets(admin).verifySecret(req).getMatch());
    }
    assertReason(Status.Code.RESOURCE_EXHAUSTED, "VERIFY_RATE_LIMITED",
        () -> coffer.secrets(admin).verifySecret(req));
  }
}
