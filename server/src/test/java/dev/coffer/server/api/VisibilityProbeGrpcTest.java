package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.util.Durations;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.GetAccessRequestRequest;
import dev.coffer.api.v1.GetApplicationRequest;
import dev.coffer.api.v1.GetGrantRequest;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.server.Vault;
import dev.coffer.server.audit.AuditEntry;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.VisibilityProbe;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestSecrets;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Probes of objects that exist but are invisible to the caller: the caller gets exactly the
 * NOT_FOUND of a missing id, and the object's tenant gets one DENIED OBJECT_PROBE event
 * naming the caller (tenant-qualified when it is of another tenant); a missing id writes
 * nothing. For secrets, grants and access requests (a stranger of the same tenant, and
 * another tenant) and applications (another tenant: every member of a tenant sees its
 * applications).
 */
class VisibilityProbeGrpcTest {

  static final String MISSING_SECRET = "sec_000000000AAAAAAAAAAAAAAAAAAAAA";

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  Vault v;
  CallContext system;
  String alice;
  String carol;
  String ada;
  String clientId;
  String privateSecret;
  String sharedSecret;
  String grantId;
  String requestId;
  int barriers;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    v = coffer.vault.vault;
    system = coffer.vault.admin();
    for (String p : List.of("alice", "bob", "carol")) {
      v.directory().principals().create(system, "default", p, PrincipalKind.USER, false);
    }
    v.directory().tenants().create(system, "acme", null);
    v.directory().principals().create(system, "acme", "ada", PrincipalKind.USER, true);
    alice = coffer.vault.tokenFor("default", "alice");
    carol = coffer.vault.tokenFor("default", "carol");
    ada = coffer.vault.tokenFor("acme", "ada");
    CallContext aliceCtx = ctx("default", "alice");
    clientId = v.directory().applications().create(aliceCtx, "payments_api", "production",
        SecurityType.CLIENT_SECRET, OAuthFlow.AUTHORIZATION_CODE, "alice").application()
        .clientId();
    try (var priv = TestSecrets.create(v, aliceCtx, clientId, SecretRequest.builder()
        .displayName("private").location("/").vaulted(true).preapproveOwner(true).build());
         var shared = TestSecrets.create(v, aliceCtx, clientId, SecretRequest.builder()
             .displayName("shared").location("/").vaulted(true).sharingEnabled(true).build())) {
      privateSecret = priv.stored().metadata().secretId();
      sharedSecret = shared.stored().metadata().secretId();
    }
    grantId = v.sharing().grants().create(aliceCtx, sharedSecret, "bob",
        coffer.vault.clock.instant().plusSeconds(3600)).grantId();
    requestId = v.sharing().accessRequests().create(ctx("default", "bob"), sharedSecret,
        "incident 7", Duration.ofHours(1)).requestId();
  }

  CallContext ctx(String tenant, String principal) {
    return coffer.vault.as(v.directory().principals().get(system, tenant, principal));
  }

  GrantServiceGrpc.GrantServiceBlockingStub grants(String token) {
    return coffer.grants(token);
  }

  AccessServiceGrpc.AccessServiceBlockingStub access(String token) {
    return coffer.access(token);
  }

  /**
   * Probe events are queued without waiting for their fsync; a synchronous commit drains
   * the audit queue in order, so after it every earlier event is durable.
   */
  void auditBarrier() {
    v.secrets().locations().create(system, "/barrier" + barriers++);
  }

  List<AuditEntry> probes(CallContext reader) {
    auditBarrier();
    return v.operator().auditTrail().list(reader, new AuditFilter(null, null, "", "",
        AuditAction.OBJECT_PROBE.name()), "", 100).items();
  }

  /**
   * {@code call} on {@code existing} and on a missing id fail alike (status, ErrorInfo
   * reason, message with the id masked), and only the first is audited: once, in the
   * default tenant, naming {@code actor}, and nowhere in acme's trail.
   */
  void assertProbe(String actor, String target, String existing, String missing,
      Function<String, Object> call) {
    int before = probes(system).size();
    StatusRuntimeException seen = GrpcAssertions.assertStatus(Status.Code.NOT_FOUND,
        () -> call.apply(existing));
    StatusRuntimeException unseen = GrpcAssertions.assertStatus(Status.Code.NOT_FOUND,
        () -> call.apply(missing));
    assertEquals(GrpcAssertions.reason(unseen), GrpcAssertions.reason(seen));
    assertEquals(unseen.getStatus().getDescription().replace(missing, "ID"),
        seen.getStatus().getDescription().replace(existing, "ID"));
    assertEquals(StatusProto.fromThrowable(unseen).getDetailsCount(),
        StatusProto.fromThrowable(seen).getDetailsCount());
    List<AuditEntry> events = probes(system);
    assertEquals(before + 1, events.size(), "one probe event, none for the missing id");
    AuditEntry e = events.get(events.size() - 1);
    assertEquals("default", e.tenantId());
    assertEquals(actor, e.actor());
    assertEquals(target, e.target());
    assertEquals("DENIED", e.outcome());
    assertEquals("NOT_VISIBLE", e.reason());
    assertEquals(0, probes(ctx("acme", "ada")).size(), "nothing in the caller's tenant");
  }

  @Test
  void probingInBulk_recordsAtMostTheCallersBudget_andAnswersAlike() {
    int before = probes(system).size();
    long limit = VisibilityProbe.RECORDED_PER_CALLER_PER_MINUTE;
    for (int i = 0; i < limit + 5; i++) {
      GrpcAssertions.assertStatus(Status.Code.NOT_FOUND, () -> coffer.secrets(carol).getSecret(
          GetSecretRequest.newBuilder().setName("secrets/" + privateSecret).build()));
    }
    auditBarrier();
    int recorded = v.operator().auditTrail().list(system, new AuditFilter(null, null, "", "",
        AuditAction.OBJECT_PROBE.name()), "", 1000).items().size() - before;
    assertEquals(limit, recorded);
  }

  @Test
  void secret_ofSomeoneElse_notShared() {
    assertProbe("carol", "secrets/" + privateSecret, privateSecret, MISSING_SECRET,
        id -> coffer.secrets(carol).getSecret(GetSecretRequest.newBuilder()
            .setName("secrets/" + id).build()));
    assertProbe("carol", "secrets/" + privateSecret, privateSecret, MISSING_SECRET,
        id -> coffer.secrets(carol).revealSecret(RevealSecretRequest.newBuilder()
            .setName("secrets/" + id).build()));
  }

  @Test
  void secret_ofAnotherTenant() {
    assertProbe("tenants/acme/principals/ada", "secrets/" + sharedSecret, sharedSecret,
        MISSING_SECRET, id -> coffer.secrets(ada).getSecret(GetSecretRequest.newBuilder()
            .setName("secrets/" + id).build()));
    assertProbe("tenants/acme/principals/ada", "secrets/" + sharedSecret, sharedSecret,
        MISSING_SECRET, id -> access(ada).createAccessRequest(CreateAccessRequestRequest
            .newBuilder().setSecret("secrets/" + id).setJustification("x")
            .setDuration(Durations.fromHours(1)).build()));
  }

  @Test
  void grant_ofSomeoneElse_andOfAnotherTenant() {
    String missing = "grt_000000000AAAAAAAAAAAAAAAAAAAAA";
    Function<String, Function<String, Object>> get = token -> id -> grants(token).getGrant(
        GetGrantRequest.newBuilder().setName("grants/" + id).build());
    assertProbe("carol", "grants/" + grantId, grantId, missing, get.apply(carol));
    assertProbe("tenants/acme/principals/ada", "grants/" + grantId, grantId, missing,
        get.apply(ada));
  }

  @Test
  void accessRequest_ofSomeoneElse_andOfAnotherTenant() {
    String missing = "req_000000000AAAAAAAAAAAAAAAAAAAAA";
    Function<String, Function<String, Object>> get = token -> id -> access(token)
        .getAccessRequest(GetAccessRequestRequest.newBuilder().setName("accessRequests/" + id)
            .build());
    assertProbe("carol", "accessRequests/" + requestId, requestId, missing, get.apply(carol));
    assertProbe("tenants/acme/principals/ada", "accessRequests/" + requestId, requestId,
        missing, get.apply(ada));
  }

  @Test
  void application_ofAnotherTenant() {
    String missing = "00000000-0000-4000-8000-000000000000";
    assertProbe("tenants/acme/principals/ada", "applications/" + clientId, clientId, missing,
        id -> coffer.apps(ada).getApplication(GetApplicationRequest.newBuilder()
            .setName("applications/" + id).build()));
    assertProbe("tenants/acme/principals/ada", "applications/" + clientId, clientId, missing,
        id -> coffer.secrets(ada).listSecrets(ListSecretsRequest.newBuilder()
            .setParent("applications/" + id).build()));
  }

  @Test
  void visibleObjects_andTheirOwners_writeNoProbe() {
    int before = probes(system).size();
    coffer.secrets(alice).getSecret(GetSecretRequest.newBuilder()
        .setName("secrets/" + privateSecret).build());
    coffer.secrets(carol).getSecret(GetSecretRequest.newBuilder()
        .setName("secrets/" + sharedSecret).build());
    grants(alice).getGrant(GetGrantRequest.newBuilder().setName("grants/" + grantId).build());
    assertThrows(StatusRuntimeException.class, () -> coffer.secrets(carol).getSecret(
        GetSecretRequest.newBuilder().setName("secrets/" + MISSING_SECRET).build()));
    assertEquals(before, probes(system).size());
  }
}
