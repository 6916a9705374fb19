package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.AccessRequestState;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.GrantState;
import dev.coffer.api.v1.ListAccessRequestsRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.SecretKind;
import dev.coffer.api.v1.StoreCredentialRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sharing RPCs over the real interceptors: the happy flow and bad input naming fields. */
class SharingGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String alice;
  String bob;
  String secret;
  String value;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    String admin = coffer.vault.adminToken;
    for (String p : new String[] {"alice", "bob"}) {
      coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
          .setPrincipalId(p).build());
    }
    alice = coffer.vault.tokenFor("default", "alice");
    bob = coffer.vault.tokenFor("default", "bob");
    String app = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production")
        .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getName();
    var created = coffer.secrets(alice).createSecret(CreateSecretRequest.newBuilder()
        .setParent(app).setDisplayName("db").setLocation("/").setVaulted(true)
        .setSharingEnabled(true).build());
    secret = created.getSecret().getName();
    value = created.getValue();
  }

  AccessServiceGrpc.AccessServiceBlockingStub access(String token) {
    return AccessServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token));
  }

  GrantServiceGrpc.GrantServiceBlockingStub grants(String token) {
    return GrantServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token));
  }

  @Test
  void requestApproveReveal_overTheApi() {
    var req = access(bob).createAccessRequest(CreateAccessRequestRequest.newBuilder()
        .setSecret(secret).setJustification("incident 4411").setDuration(Durations.fromHours(8))
        .build());
    assertEquals(AccessRequestState.PENDING, req.getState());
    assertEquals(1, access(alice).listAccessRequests(ListAccessRequestsRequest.newBuilder()
        .setPending(true).build()).getAccessRequestsCount());
    var approved = access(alice).approveAccessRequest(ApproveAccessRequestRequest.newBuilder()
        .setName(req.getName()).setEtag(req.getEtag()).build());
    assertEquals(AccessRequestState.APPROVED, approved.getState());
    assertEquals(value, coffer.secrets(bob).revealSecret(RevealSecretRequest.newBuilder()
        .setName(secret).build()).getValue());
    assertEquals(GrantState.GRANT_ACTIVE, grants(bob).getGrant(
        dev.coffer.api.v1.GetGrantRequest.newBuilder().setName(approved.getGrant()).build())
        .getState());
    assertEquals(1, coffer.secrets(bob).listSecrets(ListSecretsRequest.newBuilder()
        .setShared(true).build()).getSecretsCount());
  }

  @Test
  void badSharingInput_namesTheField() {
    assertInvalidField("duration", () -> access(bob).createAccessRequest(
        CreateAccessRequestRequest.newBuilder().setSecret(secret).setJustification("x").build()));
    assertInvalidField("justification", () -> access(bob).createAccessRequest(
        CreateAccessRequestRequest.newBuilder().setSecret(secret)
            .setDuration(Durations.fromHours(1)).build()));
    assertInvalidField("secret", () -> access(bob).createAccessRequest(
        CreateAccessRequestRequest.newBuilder().setSecret("sec_1").setJustification("x")
            .setDuration(Durations.fromHours(1)).build()));
    assertInvalidField("duration", () -> access(bob).createAccessRequest(
        CreateAccessRequestRequest.newBuilder().setSecret(secret).setJustification("x")
            .setDuration(Durations.fromDays(365)).build()));
    assertInvalidField("mine", () -> access(bob).listAccessRequests(ListAccessRequestsRequest
        .newBuilder().setPending(true).setMine(true).build()));
    var req = access(bob).createAccessRequest(CreateAccessRequestRequest.newBuilder()
        .setSecret(secret).setJustification("x").setDuration(Durations.fromHours(1)).build());
    assertInvalidField("reason", () -> access(alice).denyAccessRequest(DenyAccessRequestRequest
        .newBuilder().setName(req.getName()).build()));
    assertInvalidField("expire_time", () -> grants(alice).createGrant(CreateGrantRequest
        .newBuilder().setSecret(secret).setGrantee("bob").build()));
    assertInvalidField("grantee", () -> grants(alice).createGrant(CreateGrantRequest
        .newBuilder().setSecret(secret).setGrantee("ghost")
        .setExpireTime(Timestamps.fromMillis(coffer.vault.clock.millis() + 60_000)).build()));
    assertInvalidField("overlap", () -> coffer.secrets(alice).rotateSecret(RotateSecretRequest
        .newBuilder().setName(secret).setOverlap(Durations.fromSeconds(-1)).build()));
    assertInvalidField("value", () -> coffer.secrets(alice).storeCredential(
        StoreCredentialRequest.newBuilder().setDisplayName("c").setExternalClientId("e")
            .setValue("short").setLocation("/").build()));
    assertInvalidField("external_client_id", () -> coffer.secrets(alice).storeCredential(
        StoreCredentialRequest.newBuilder().setDisplayName("c").setValue("v".repeat(20))
            .setLocation("/").build()));
  }

  @Test
  void rotate_showsTheNewValueOnce_andStoredCredentialsRefuseIt() {
    var next = coffer.secrets(alice).rotateSecret(RotateSecretRequest.newBuilder()
        .setName(secret).setOverlap(Durations.fromDays(7)).build());
    assertFalse(next.getValue().equals(value));
    assertEquals(secret, next.getSecret().getRotatedFrom());
    var stored = coffer.secrets(alice).storeCredential(StoreCredentialRequest.newBuilder()
        .setDisplayName("payments-entra").setExternalClientId("4f8e-entra")
        .setValue("entra-secret-" + "q".repeat(20)).setLocation("/").build());
    assertEquals(SecretKind.STORED_CREDENTIAL, stored.getKind());
    assertFalse(stored.toString().contains("qqqqqqqq"));
    assertReason(Status.Code.FAILED_PRECONDITION, "NOT_ROTATABLE", () -> coffer.secrets(alice)
        .rotateSecret(RotateSecretRequest.newBuilder().setName(stored.getName()).build()));
  }
}
