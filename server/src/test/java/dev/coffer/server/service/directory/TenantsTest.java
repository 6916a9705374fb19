package dev.coffer.server.service.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.audit.AuditEntry;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UpdateTenantPolicy at the service: the system administrator alone replaces a tenant's
 * policy, checked as at creation; switching federated sign-in on revokes every USER token
 * of the tenant in the same batch and leaves SERVICE tokens alone; the change is audited
 * with the fields it changed; a refused or bad request changes nothing.
 */
class TenantsTest {

  @TempDir Path dir;
  TestVault t;
  Tenants tenants;
  CallContext system;
  CallContext ada;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    tenants = t.vault.directory().tenants();
    system = t.admin();
    tenants.create(system, "acme", null);
    ada = t.newPrincipal("acme", "ada", true);
    t.newPrincipal("acme", "uma", false);
    t.vault.directory().principals().create(ada, "acme", "svc-batch", PrincipalKind.SERVICE,
        false, "uma");
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  static TenantPolicy federated(boolean on) {
    TenantPolicy d = TenantPolicy.defaults();
    return new TenantPolicy(d.allowNeverExpire(), d.maxSecretLifetime(), d.maxTokenLifetime(),
        d.maxAccessDuration(), d.requestDecisionWindow(), on);
  }

  TenantPolicy stored(String tenant) {
    return tenants.get(system, tenant).policy();
  }

  List<AuditEntry> events(CallContext admin, AuditAction action) {
    return t.vault.operator().auditTrail().list(admin, new AuditFilter(null, null, "", "",
        action.name()), "", 100).items();
  }

  Reason authenticate(String token) {
    try (SecretValue v = SecretValue.ofString(token)) {
      t.vault.directory().tokens().authenticate(v);
      return null;
    } catch (CofferException e) {
      return e.reason();
    }
  }

  @Test
  void systemAdmin_switchesFederatedSignInOn_revokingEveryUserToken_butNoServiceToken() {
    String adaToken = t.tokenFor("acme", "ada");
    String umaToken = t.tokenFor("acme", "uma");
    String svcToken = t.tokenFor("acme", "svc-batch");
    String defaultUser = t.tokenFor("default", "admin");

    TenantPolicyChange change = tenants.updatePolicy(system, "acme", federated(true));

    assertTrue(change.after().policy().federatedUserSignInOnly());
    assertTrue(stored("acme").federatedUserSignInOnly());
    assertEquals(2, change.revokedUserTokens());
    assertEquals(Reason.TOKEN_REVOKED, authenticate(adaToken));
    assertEquals(Reason.TOKEN_REVOKED, authenticate(umaToken));
    assertEquals(null, authenticate(svcToken));
    assertEquals(null, authenticate(defaultUser), "the flag is per tenant");
    assertFalse(stored("default").federatedUserSignInOnly());

    String reason = "changed=federated_user_sign_in_only;revoked_user_tokens=2";
    List<AuditEntry> inAcme = events(t.tenantAdmin("acme"), AuditAction.TENANT_POLICY_UPDATE);
    assertEquals(1, inAcme.size(), inAcme.toString());
    assertEquals("tenants/acme", inAcme.get(0).target());
    assertEquals("tenants/default/principals/admin", inAcme.get(0).actor());
    assertEquals(AuditEvent.ALLOWED, inAcme.get(0).outcome());
    assertEquals(reason, inAcme.get(0).reason());
    List<AuditEntry> inDefault = events(system, AuditAction.TENANT_POLICY_UPDATE);
    assertEquals(1, inDefault.size(), inDefault.toString());
    assertEquals(reason, inDefault.get(0).reason());
  }

  @Test
  void aTenantAdmin_cannotReplaceItsPolicy_andNothingChanges() {
    tenants.updatePolicy(system, "acme", federated(true));

    CofferException e = assertThrows(CofferException.class,
        () -> tenants.updatePolicy(ada, "acme", federated(false)));

    assertEquals(Reason.NOT_SYSTEM_ADMIN, e.reason());
    assertTrue(stored("acme").federatedUserSignInOnly());
    List<AuditEntry> inAcme = events(t.tenantAdmin("acme"), AuditAction.TENANT_POLICY_UPDATE);
    assertTrue(inAcme.stream().anyMatch(x -> x.actor().equals("ada")
        && x.outcome().equals(AuditEvent.DENIED) && x.reason().equals("NOT_SYSTEM_ADMIN")),
        inAcme.toString());
  }

  @Test
  void badPolicyValues_nameTheField_andChangeNothing() {
    TenantPolicy before = stored("acme");
    TenantPolicy d = TenantPolicy.defaults();
    assertField("policy.max_token_lifetime", () -> tenants.updatePolicy(system, "acme",
        new TenantPolicy(false, null, Duration.ofSeconds(30), null, null, true)));
    assertField("policy.max_secret_lifetime", () -> tenants.updatePolicy(system, "acme",
        new TenantPolicy(false, Duration.ZERO, null, null, null, true)));
    assertField("policy.request_decision_window", () -> tenants.updatePolicy(system, "acme",
        new TenantPolicy(false, null, null, null, Duration.ofMillis(5), true)));
    assertField("policy", () -> tenants.updatePolicy(system, "acme", null));
    assertField("name", () -> tenants.updatePolicy(system, "Not A Tenant", d));
    assertEquals(before, stored("acme"));
    assertTrue(events(t.tenantAdmin("acme"), AuditAction.TENANT_POLICY_UPDATE).isEmpty());
    assertEquals(Reason.TENANT_NOT_FOUND, assertThrows(CofferException.class,
        () -> tenants.updatePolicy(system, "globex", d)).reason());
  }

  @Test
  void existingTokens_keepTheirLifetimes_whenTheMaximumIsLowered() {
    String svc;
    try (SecretValue v = t.vault.directory().tokens().issue(ada, "acme", "svc-batch",
        Duration.ofDays(300), "long").value()) {
      svc = v.reveal();
    }
    TenantPolicy d = TenantPolicy.defaults();
    TenantPolicyChange change = tenants.updatePolicy(system, "acme", new TenantPolicy(false,
        null, Duration.ofDays(10), null, null, false));

    assertEquals(List.of("max_token_lifetime"), change.changedFields());
    assertEquals("changed=max_token_lifetime", change.auditReason());
    assertEquals(Duration.ofDays(10), stored("acme").maxTokenLifetime());
    assertEquals(d.maxSecretLifetime(), stored("acme").maxSecretLifetime(), "unset: default");
    t.clock.advance(Duration.ofDays(20));
    assertEquals(null, authenticate(svc));
    assertEquals("ttl", assertThrows(CofferException.class, () -> t.vault.directory().tokens()
        .issue(ada, "acme", "svc-batch", Duration.ofDays(20), "")).violations().get(0).field());
  }

  @Test
  void aPolicyThatChangesNothing_isAuditedAsSuch_andRevokesNothing() {
    tenants.updatePolicy(system, "acme", federated(true));
    TenantPolicyChange again = tenants.updatePolicy(system, "acme", federated(true));
    assertEquals(0, again.revokedUserTokens());
    assertEquals("changed=none", again.auditReason());
  }

  @Test
  void createTenant_takesTheSwitchToo() {
    Tenant globex = tenants.create(system, "globex", federated(true));
    assertTrue(globex.policy().federatedUserSignInOnly());
    assertTrue(stored("globex").federatedUserSignInOnly());
  }

  @Test
  void aWriteGuardedOnATenant_failsWithConcurrentChange_onceThePolicyChanged() {
    TenantRepository repo = new TenantRepository(t.vault.storage().store());
    Tenant seen = repo.tenant("acme").orElseThrow();
    Changes guarded = new Changes();
    repo.guard(guarded, seen);
    tenants.updatePolicy(system, "acme", federated(true));

    CofferException late = assertThrows(CofferException.class, () -> t.vault.kernel().audit()
        .commit(guarded, new AuditEvent(t.clock.instant(), "acme", "ada",
            AuditAction.TOKEN_ISSUE, "tenants/acme", AuditEvent.ALLOWED, "", "r", "")));
    assertEquals(Reason.CONCURRENT_CHANGE, late.reason());
    assertEquals(Reason.CONCURRENT_CHANGE, assertThrows(CofferException.class,
        () -> repo.guard(new Changes(), seen)).reason());
  }

  static void assertField(String field, Runnable call) {
    CofferException e = assertThrows(CofferException.class, call::run);
    assertEquals(Reason.INVALID_FIELD, e.reason(), field);
    assertEquals(field, e.violations().get(0).field());
  }
}
