package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.CancelAccessRequestRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateScopeRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.RevokeGrantRequest;
import dev.coffer.api.v1.RevokeSecretRequest;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.ScopeServiceGrpc;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretState;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.api.v1.UnquarantineSecretRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Times, durations, free text and etags at and beyond their ranges: always INVALID_ARGUMENT
 * naming the field (never INTERNAL), and nothing changes.
 */
class InputRangeGrpcTest {

  /** Valid for protobuf (under 10,000 years) but beyond Long nanos (about 292 years). */
  static final Duration PAST_LONG_NANOS = Duration.newBuilder().setSeconds(300L * 366 * 86_400)
      .build();
  static final Duration LARGEST_VALID = Duration.newBuilder().setSeconds(315_576_000_000L)
      .setNanos(999_999_999).build();
  static final Timestamp YEAR_10000 = Timestamp.newBuilder().setSeconds(253_402_300_800L).build();

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String admin;
  String alice;
  String app;
  Secret secret;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    admin = coffer.vault.adminToken;
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setPrincipalId("alice").build());
    alice = coffer.vault.tokenFor("default", "alice");
    app = coffer.apps(alice).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production")
        .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getName();
    secret = coffer.secrets(alice).createSecret(CreateSecretRequest.newBuilder()
        .setParent(app).setDisplayName("db").setLocation("/").setVaulted(true)
        .setSharingEnabled(true).build()).getSecret();
  }

  @Test
  void durationsBeyondLongNanos_areInvalid_notInternal() {
    assertInvalidField("ttl", () -> coffer.tokens(admin).issueToken(IssueTokenRequest
        .newBuilder().setPrincipalId("alice").setTtl(PAST_LONG_NANOS).build()));
    assertInvalidField("expiring_within", () -> coffer.secrets(alice).listSecrets(
        ListSecretsRequest.newBuilder().setExpiringWithin(LARGEST_VALID).build()));
    assertInvalidField("overlap", () -> coffer.secrets(alice).rotateSecret(RotateSecretRequest
        .newBuilder().setName(secret.getName()).setOverlap(PAST_LONG_NANOS).build()));
    assertInvalidField("duration", () -> access(alice).createAccessRequest(
        CreateAccessRequestRequest.newBuilder().setSecret(secret.getName())
            .setJustification("on call").setDuration(LARGEST_VALID).build()));
    assertUnchanged();
  }

  @Test
  void policyDurations_thatWouldPushDeadlinesPastYear9999_areInvalid() {
    Duration nineThousandYears = Durations.fromDays(9_000L * 365);
    assertInvalidField("policy.request_decision_window", () -> coffer.tenants(admin)
        .createTenant(CreateTenantRequest.newBuilder().setTenantId("acme").setPolicy(
            TenantPolicy.newBuilder().setRequestDecisionWindow(nineThousandYears)).build()));
    assertInvalidField("policy.max_access_duration", () -> coffer.tenants(admin)
        .createTenant(CreateTenantRequest.newBuilder().setTenantId("acme").setPolicy(
            TenantPolicy.newBuilder().setMaxAccessDuration(nineThousandYears)).build()));
    assertEquals(Durations.fromDays(36_525), coffer.tenants(admin).createTenant(
        CreateTenantRequest.newBuilder().setTenantId("acme").setPolicy(TenantPolicy
            .newBuilder().setMaxSecretLifetime(Durations.fromDays(36_525))).build())
        .getPolicy().getMaxSecretLifetime(), "100 years is the largest accepted");
  }

  @Test
  void malformedDurations_areInvalid() {
    Duration[] bad = {
        Duration.newBuilder().setSeconds(60).setNanos(1_000_000_000).build(),
        Duration.newBuilder().setSeconds(60).setNanos(-1).build(),
        Duration.newBuilder().setSeconds(Long.MAX_VALUE).build(),
        Duration.newBuilder().setSeconds(Long.MIN_VALUE).build(),
        Duration.newBuilder().setSeconds(-3600).build(),
        Duration.getDefaultInstance()};
    for (Duration d : bad) {
      assertInvalidField("ttl", () -> coffer.tokens(admin).issueToken(IssueTokenRequest
          .newBuilder().setPrincipalId("alice").setTtl(d).build()));
    }
  }

  @Test
  void timestampsOutsideYears1To9999_orWithBadNanos_areInvalid() {
    Timestamp[] bad = {
        YEAR_10000,
        Timestamp.newBuilder().setSeconds(-62_135_596_801L).build(),
        Timestamp.newBuilder().setSeconds(4_000_000_000L).setNanos(-1).build(),
        Timestamp.newBuilder().setSeconds(4_000_000_000L).setNanos(1_000_000_000).build(),
        Timestamp.newBuilder().setSeconds(Long.MIN_VALUE).build()};
    for (Timestamp t : bad) {
      assertInvalidField("expire_time", () -> coffer.secrets(alice).createSecret(
          CreateSecretRequest.newBuilder().setParent(app).setDisplayName("x").setLocation("/")
              .setExpireTime(t).build()));
      assertInvalidField("expire_time", () -> grants(alice).createGrant(CreateGrantRequest
          .newBuilder().setSecret(secret.getName()).setGrantee("admin").setExpireTime(t)
          .build()));
      assertInvalidField("filter.since", () -> AuditServiceGrpc.newBlockingStub(coffer.channel)
          .withInterceptors(InProcessServer.bearer(admin)).listAuditEvents(
              ListAuditEventsRequest.newBuilder().setFilter(AuditFilter.newBuilder()
                  .setSince(t)).build()));
    }
    assertUnchanged();
  }

  @Test
  void freeText_withFormatOrControlCharacters_isInvalid_namingTheField() {
    for (String bad : new String[] {"a\u200bb", "pay\u202Eroll", "x\u2066y\u2069", "\uFEFFdb",
        "a\u0007", "line\u2028break", "tab\tbed", "del\u007f"}) {
      assertInvalidField("display_name", () -> coffer.secrets(alice).createSecret(
          CreateSecretRequest.newBuilder().setParent(app).setDisplayName(bad)
              .setLocation("/").build()));
      assertInvalidField("description", () -> coffer.secrets(alice).createSecret(
          CreateSecretRequest.newBuilder().setParent(app).setDisplayName("ok")
              .setDescription(bad).setLocation("/").build()));
      assertInvalidField("justification", () -> access(alice).createAccessRequest(
          CreateAccessRequestRequest.newBuilder().setSecret(secret.getName())
              .setJustification(bad).build()));
      assertInvalidField("description", () -> coffer.tokens(admin).issueToken(
          IssueTokenRequest.newBuilder().setPrincipalId("alice").setDescription(bad).build()));
      assertInvalidField("description", () -> ScopeServiceGrpc.newBlockingStub(coffer.channel)
          .withInterceptors(InProcessServer.bearer(alice)).createScope(CreateScopeRequest
              .newBuilder().setScopeId("orders.read").setDescription(bad).build()));
    }
    assertUnchanged();
  }

  @Test
  void malformedEtags_areInvalid_onEveryRpcTakingOne() {
    String name = secret.getName();
    for (String bad : new String[] {"abc", "r", "r-1", "R1", "r1x", "r" + "9".repeat(20),
        " r1", "W/\"r1\""}) {
      assertInvalidField("etag", () -> coffer.secrets(alice).revokeSecret(RevokeSecretRequest
          .newBuilder().setName(name).setEtag(bad).build()));
      assertInvalidField("etag", () -> coffer.secrets(alice).deleteSecret(DeleteSecretRequest
          .newBuilder().setName(name).setEtag(bad).build()));
      assertInvalidField("etag", () -> coffer.secrets(alice).rotateSecret(RotateSecretRequest
          .newBuilder().setName(name).setEtag(bad).build()));
      assertInvalidField("etag", () -> coffer.secrets(alice).unquarantineSecret(
          UnquarantineSecretRequest.newBuilder().setName(name).setEtag(bad).build()));
      assertInvalidField("etag", () -> access(alice).approveAccessRequest(
          ApproveAccessRequestRequest.newBuilder().setName("accessRequests/x").setEtag(bad)
              .build()));
      assertInvalidField("etag", () -> access(alice).denyAccessRequest(DenyAccessRequestRequest
          .newBuilder().setName("accessRequests/x").setReason("no").setEtag(bad).build()));
      assertInvalidField("etag", () -> access(alice).cancelAccessRequest(
          CancelAccessRequestRequest.newBuilder().setName("accessRequests/x").setEtag(bad)
              .build()));
      assertInvalidField("etag", () -> grants(alice).revokeGrant(RevokeGrantRequest
          .newBuilder().setName("grants/x").setEtag(bad).build()));
    }
    assertUnchanged();
  }

  @Test
  void wellFormedButStaleEtag_staysAborted() {
    assertReason(Status.Code.ABORTED, "ETAG_MISMATCH", () -> coffer.secrets(alice)
        .revokeSecret(RevokeSecretRequest.newBuilder().setName(secret.getName())
            .setEtag("r999").build()));
    Secret revoked = coffer.secrets(alice).revokeSecret(RevokeSecretRequest.newBuilder()
        .setName(secret.getName()).setEtag(secret.getEtag()).build());
    assertEquals(SecretState.REVOKED, revoked.getState(), "the current etag is accepted");
  }

  private void assertUnchanged() {
    Secret now = coffer.secrets(alice).getSecret(GetSecretRequest.newBuilder()
        .setName(secret.getName()).build());
    assertEquals(secret, now);
    assertEquals(1, coffer.secrets(alice).listSecrets(ListSecretsRequest.getDefaultInstance())
        .getSecretsCount());
  }

  private AccessServiceGrpc.AccessServiceBlockingStub access(String token) {
    return AccessServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token));
  }

  private GrantServiceGrpc.GrantServiceBlockingStub grants(String token) {
    return GrantServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token));
  }
}
