package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.AssertionFailure;
import dev.coffer.api.v1.ClientAssertionServiceGrpc;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateScopeRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.GetJwksRequest;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.KeyAlgorithm;
import dev.coffer.api.v1.LeakReportServiceGrpc;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.ReportLeakRequest;
import dev.coffer.api.v1.ReportLeakResponse;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.ScopeServiceGrpc;
import dev.coffer.api.v1.SecretKind;
import dev.coffer.api.v1.SecretState;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.api.v1.UnquarantineSecretRequest;
import dev.coffer.api.v1.VerifyClientAssertionRequest;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.JdkJwt;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signed-JWT keys, client assertions, scopes and leak reports through the real gRPC stack. */
class NewCredentialsGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String admin;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
    admin = coffer.vault.adminToken;
  }

  ClientAssertionServiceGrpc.ClientAssertionServiceBlockingStub assertions() {
    return ClientAssertionServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(admin));
  }

  LeakReportServiceGrpc.LeakReportServiceBlockingStub leaks(String requestId) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), requestId);
    return LeakReportServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void signedJwtKey_rs256_vaulted_revealsPemAndJwk_andJwksAndAssertionsWork() throws Exception {
    String app = coffer.apps(admin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("signer_api").setEnvironment("production")
        .setSecurityType(SecurityType.SIGNED_JWT).setFlow(OAuthFlow.AUTHORIZATION_CODE).build())
        .getApplication().getClientId();
    CreateSecretResponse key = coffer.secrets(admin).createSecret(CreateSecretRequest
        .newBuilder().setParent("applications/" + app).setDisplayName("k1").setLocation("/")
        .setKeyAlgorithm(KeyAlgorithm.RS256).setVaulted(true).setPreapproveOwner(true).build());
    assertEquals(SecretKind.JWT_SIGNING_KEY, key.getSecret().getKind());
    var revealed = coffer.secrets(admin).revealSecret(RevealSecretRequest.newBuilder()
        .setName(key.getSecret().getName()).build());
    assertEquals(key.getValue(), revealed.getValue());
    assertEquals(key.getPrivateKeyJwk(), revealed.getPrivateKeyJwk());

    var jwks = assertions().getJwks(GetJwksRequest.newBuilder()
        .setParent("applications/" + app).build());
    assertEquals(1, jwks.getKeysCount());
    assertTrue(jwks.getJwks().contains(key.getSecret().getKid()));
    assertFalse(jwks.getJwks().contains("\"d\""), "public keys only");

    PrivateKey pk = JdkJwt.privateKey(key.getValue());
    long now = coffer.vault.clock.instant().getEpochSecond();
    String assertion = JdkJwt.rs256(pk, "{\"alg\":\"RS256\",\"kid\":\""
        + key.getSecret().getKid() + "\"}", JdkJwt.claims(app, "https://as", now, now + 60, "j1"));
    VerifyClientAssertionRequest request = VerifyClientAssertionRequest.newBuilder()
        .setAssertion(assertion).addAudiences("https://as").build();
    var ok = assertions().verifyClientAssertion(request);
    assertTrue(ok.getValid(), ok.getDetail());
    assertEquals(key.getSecret().getName(), ok.getKey());
    assertEquals(app, ok.getClientId());
    var again = assertions().verifyClientAssertion(request);
    assertFalse(again.getValid());
    assertEquals(AssertionFailure.ASSERTION_REPLAYED, again.getFailure());

    assertInvalidField("assertion", () -> assertions().verifyClientAssertion(
        VerifyClientAssertionRequest.newBuilder().addAudiences("https://as").build()));
    assertInvalidField("audiences", () -> assertions().verifyClientAssertion(
        VerifyClientAssertionRequest.newBuilder().setAssertion(assertion).build()));
    assertInvalidField("key_algorithm", () -> coffer.secrets(admin).createSecret(
        CreateSecretRequest.newBuilder().setParent("applications/" + app).setDisplayName("k")
            .setLocation("/").setKeyAlgorithmValue(9).build()));
  }

  @Test
  void scope_holdsSecrets_verifiedByScope() {
    var scopes = ScopeServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(admin));
    var scope = scopes.createScope(CreateScopeRequest.newBuilder().setScopeId("orders.read")
        .build());
    assertEquals("scopes/orders.read", scope.getName());
    CreateSecretResponse s = coffer.secrets(admin).createSecret(CreateSecretRequest.newBuilder()
        .setParent("scopes/orders.read").setDisplayName("introspection").setLocation("/")
        .build());
    assertEquals("scopes/orders.read", s.getSecret().getParent());
    assertEquals(SecretKind.SCOPE_SECRET_VALUE, s.getSecret().getKind());
    assertTrue(coffer.secrets(admin).verifySecret(VerifySecretRequest.newBuilder()
        .setScope("orders.read").setValue(s.getValue()).build()).getMatch());
    assertInvalidField("scope", () -> coffer.secrets(admin).verifySecret(VerifySecretRequest
        .newBuilder().setScope("orders.read").setClientId("x").setValue(s.getValue()).build()));
    assertReason(Status.Code.NOT_FOUND, "SCOPE_NOT_FOUND", () -> coffer.secrets(admin)
        .createSecret(CreateSecretRequest.newBuilder().setParent("scopes/nope.read")
            .setDisplayName("x").setLocation("/").build()));
    assertInvalidField("parent", () -> coffer.secrets(admin).createSecret(CreateSecretRequest
        .newBuilder().setParent("scopes/bad scope").setDisplayName("x").setLocation("/").build()));
  }

  @Test
  void leakReport_withoutToken_quarantines_answersLikeAMiss_andReleaseFollowsRotation() {
    String app = coffer.apps(admin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production").build())
        .getApplication().getClientId();
    CreateSecretResponse live = coffer.secrets(admin).createSecret(CreateSecretRequest
        .newBuilder().setParent("applications/" + app).setDisplayName("ci").setLocation("/")
        .build());
    String unknown;
    try (var v = new SecretGenerator().generate(
        ValueFormat.CLIENT_SECRET)) {
      unknown = v.reveal();
    }
    ReportLeakResponse hit = leaks("same-id").reportLeak(ReportLeakRequest.newBuilder()
        .setValue(live.getValue()).build());
    ReportLeakResponse miss = leaks("same-id").reportLeak(ReportLeakRequest.newBuilder()
        .setValue(unknown).build());
    assertEquals(miss.toByteString(), hit.toByteString(), "a match is not told apart");
    assertEquals("same-id", hit.getReportId());

    var secret = coffer.secrets(admin).getSecret(GetSecretRequest.newBuilder()
        .setName(live.getSecret().getName()).build());
    assertEquals(SecretState.QUARANTINED, secret.getState());
    assertTrue(secret.hasQuarantineTime());
    assertReason(Status.Code.PERMISSION_DENIED, "SECRET_QUARANTINED", () -> coffer.secrets(admin)
        .verifySecret(VerifySecretRequest.newBuilder().setClientId(app)
            .setValue(live.getValue()).build()));
    assertReason(Status.Code.FAILED_PRECONDITION, "ROTATION_REQUIRED", () -> coffer
        .secrets(admin).unquarantineSecret(UnquarantineSecretRequest.newBuilder()
            .setName(live.getSecret().getName()).build()));
    coffer.secrets(admin).rotateSecret(RotateSecretRequest.newBuilder()
        .setName(live.getSecret().getName())
        .setOverlap(com.google.protobuf.util.Durations.fromHours(1)).build());
    var released = coffer.secrets(admin).unquarantineSecret(UnquarantineSecretRequest
        .newBuilder().setName(live.getSecret().getName()).build());
    assertEquals(SecretState.ACTIVE, released.getState());
    assertFalse(released.hasQuarantineTime());
  }
}
