package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.LifecycleEventType;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.api.v1.UpdateTenantPolicyRequest;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * UpdateTenantPolicy and the tenant switch {@code federated_user_sign_in_only} through the
 * real interceptors: only the system administrator changes a tenant's policy; with the
 * switch on, IssueToken refuses people (FEDERATED_SIGN_IN_REQUIRED, audited) and still
 * issues for services, and the people's existing tokens stop working at once. The caller
 * that issues after the switch is {@code ops-bot}, a SERVICE tenant admin, because no person
 * of such a tenant holds a bearer token until the identity Login; a person asking for a
 * token of its own is refused in {@code TokensTest}.
 */
class TenantPolicyGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String sysadmin;
  String ada;
  String uma;
  String bot;
  String svc;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
    sysadmin = coffer.vault.adminToken;
    coffer.tenants(sysadmin).createTenant(CreateTenantRequest.newBuilder().setTenantId("acme")
        .build());
    principal("ada", PrincipalKind.USER, true, "");
    principal("uma", PrincipalKind.USER, false, "");
    principal("ops-bot", PrincipalKind.SERVICE, true, "ada");
    principal("svc-batch", PrincipalKind.SERVICE, false, "uma");
    ada = issue(sysadmin, "acme", "ada");
    uma = issue(ada, "", "uma");
    bot = issue(ada, "", "ops-bot");
    svc = issue(ada, "", "svc-batch");
  }

  void principal(String id, PrincipalKind kind, boolean admin, String owner) {
    coffer.principals(sysadmin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setTenantId("acme").setPrincipalId(id).setKind(kind).setAdmin(admin).setOwner(owner)
        .build());
  }

  String issue(String token, String tenant, String principal) {
    return coffer.tokens(token).issueToken(IssueTokenRequest.newBuilder().setTenantId(tenant)
        .setPrincipalId(principal).build()).getValue();
  }

  static TenantPolicy federated(boolean on) {
    return TenantPolicy.newBuilder().setFederatedUserSignInOnly(on).build();
  }

  Tenant update(String token, String name, TenantPolicy policy) {
    return coffer.tenants(token).updateTenantPolicy(UpdateTenantPolicyRequest.newBuilder()
        .setName(name).setPolicy(policy).build());
  }

  TenantPolicy policyOf(String tenant) {
    return coffer.tenants(sysadmin).getTenant(GetTenantRequest.newBuilder()
        .setName("tenants/" + tenant).build()).getPolicy();
  }

  void works(String token) {
    coffer.principals(token).whoAmI(WhoAmIRequest.getDefaultInstance());
  }

  List<AuditEvent> audit(String token, String action) {
    return AuditServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(1000)
            .setFilter(AuditFilter.newBuilder().setAction(action)).build()).getEventsList();
  }

  @Test
  void theSystemAdmin_turnsAdminIssuedUserTokensOff_andThePeoplesTokensStopWorking() {
    Tenant updated = update(sysadmin, "tenants/acme", federated(true));

    assertTrue(updated.getPolicy().getFederatedUserSignInOnly());
    assertEquals(Durations.fromDays(365), updated.getPolicy().getMaxTokenLifetime());
    assertTrue(policyOf("acme").getFederatedUserSignInOnly());
    assertFalse(policyOf("default").getFederatedUserSignInOnly());
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_REVOKED", () -> works(ada));
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_REVOKED", () -> works(uma));
    works(bot);
    works(svc);
    works(sysadmin);
    List<AuditEvent> events = audit(bot, "TENANT_POLICY_UPDATE");
    assertEquals(1, events.size(), events.toString());
    assertEquals("tenants/acme", events.get(0).getTarget());
    assertEquals("changed=federated_user_sign_in_only;revoked_user_tokens=2",
        events.get(0).getReason());
  }

  @Test
  void withTheSwitchOn_issuingForAPerson_isRefusedAndAudited_whileServicesStillGetTokens() {
    update(sysadmin, "tenants/acme", federated(true));

    var refused = assertReason(Status.Code.PERMISSION_DENIED, "FEDERATED_SIGN_IN_REQUIRED",
        () -> issue(bot, "", "uma"));
    assertTrue(refused.getStatus().getDescription().contains("coffer login"),
        refused.getStatus().toString());
    assertReason(Status.Code.PERMISSION_DENIED, "FEDERATED_SIGN_IN_REQUIRED",
        () -> issue(bot, "", "ada"));
    assertReason(Status.Code.PERMISSION_DENIED, "FEDERATED_SIGN_IN_REQUIRED",
        () -> issue(sysadmin, "acme", "uma"));
    works(issue(bot, "", "svc-batch"));
    works(issue(bot, "", "ops-bot"));

    List<AuditEvent> denied = audit(bot, "TOKEN_ISSUE").stream()
        .filter(e -> e.getReason().equals("FEDERATED_SIGN_IN_REQUIRED")).toList();
    assertEquals(3, denied.size(), denied.toString());
    assertTrue(denied.stream().allMatch(e -> e.getOutcome().equals("DENIED")));
    assertTrue(denied.stream().anyMatch(e -> e.getActor().equals("ops-bot")
        && e.getTarget().equals("tenants/acme/principals/uma")));
  }

  @Test
  void aTenantAdmin_isPermissionDenied_andNothingChanges() {
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN",
        () -> update(ada, "tenants/acme", federated(true)));
    assertFalse(policyOf("acme").getFederatedUserSignInOnly());
    works(uma);

    update(sysadmin, "tenants/acme", federated(true));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN",
        () -> update(bot, "tenants/acme", federated(false)));
    assertTrue(policyOf("acme").getFederatedUserSignInOnly());
    assertReason(Status.Code.PERMISSION_DENIED, "FEDERATED_SIGN_IN_REQUIRED",
        () -> issue(bot, "", "uma"));
    assertTrue(audit(bot, "TENANT_POLICY_UPDATE").stream().anyMatch(e ->
        e.getActor().equals("ops-bot") && e.getOutcome().equals("DENIED")));
  }

  @Test
  void badPolicyValues_nameTheField_andChangeNothing() {
    TenantPolicy before = policyOf("acme");
    assertInvalidField("policy.max_token_lifetime", () -> update(sysadmin, "tenants/acme",
        federated(true).toBuilder().setMaxTokenLifetime(Durations.fromSeconds(10)).build()));
    assertInvalidField("policy.max_access_duration", () -> update(sysadmin, "tenants/acme",
        federated(true).toBuilder().setMaxAccessDuration(Durations.fromSeconds(-60)).build()));
    assertInvalidField("policy", () -> coffer.tenants(sysadmin).updateTenantPolicy(
        UpdateTenantPolicyRequest.newBuilder().setName("tenants/acme").build()));
    assertInvalidField("name", () -> update(sysadmin, "acme", federated(true)));
    assertReason(Status.Code.NOT_FOUND, "TENANT_NOT_FOUND",
        () -> update(sysadmin, "tenants/globex", federated(true)));
    assertEquals(before, policyOf("acme"));
    works(uma);
    works(ada);
    assertTrue(audit(bot, "TENANT_POLICY_UPDATE").isEmpty());
  }

  @Test
  void theTenantsAdmins_hearOfThePolicyChange() throws Exception {
    LifecycleGrpcTest.Watch watch = new LifecycleGrpcTest.Watch(-1);
    LifecycleServiceGrpc.newStub(coffer.channel).withInterceptors(InProcessServer.bearer(bot))
        .watchLifecycle(WatchLifecycleRequest.getDefaultInstance(), watch);
    LifecycleGrpcTest.await(() -> coffer.vault.vault.lifecycle().events()
        .subscriptionCount() == 1);

    update(sysadmin, "tenants/acme", federated(true));

    LifecycleEvent e = watch.events.poll(10, TimeUnit.SECONDS);
    assertTrue(e != null, "no notice within 10 s");
    assertEquals(LifecycleEventType.LIFECYCLE_STATE_CHANGED, e.getType());
    assertEquals("tenants/acme", e.getResource());
    assertEquals("POLICY_UPDATED", e.getState());
    watch.call.cancel("done", null);
  }
}
