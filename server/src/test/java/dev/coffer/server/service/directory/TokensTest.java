package dev.coffer.server.service.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.store.Changes;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens.issue under a tenant's {@code federatedUserSignInOnly}: every USER target is
 * refused (the caller itself included) with FEDERATED_SIGN_IN_REQUIRED and audited;
 * SERVICE targets and other tenants are unaffected; the shared minting that a federated
 * sign-in uses is not blocked.
 */
class TokensTest {

  @TempDir Path dir;
  TestVault t;
  Tokens tokens;
  CallContext system;
  CallContext ada;
  CallContext uma;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    tokens = t.vault.directory().tokens();
    system = t.admin();
    t.vault.directory().tenants().create(system, "acme", null);
    ada = t.newPrincipal("acme", "ada", true);
    uma = t.newPrincipal("acme", "uma", false);
    t.newPrincipal("acme", "boss", true);
    t.vault.directory().principals().create(ada, "acme", "svc-batch", PrincipalKind.SERVICE,
        false, "uma");
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  void federatedSignInOnly(boolean on) {
    t.vault.directory().tenants().updatePolicy(system, "acme", TenantsTest.federated(on));
  }

  CofferException refused(CallContext caller, String tenant, String principal) {
    return assertThrows(CofferException.class,
        () -> tokens.issue(caller, tenant, principal, null, "").value().close());
  }

  List<AuditEntry> issueEvents(CallContext admin) {
    return t.vault.operator().auditTrail().list(admin, new AuditFilter(null, null, "", "",
        AuditAction.TOKEN_ISSUE.name()), "", 100).items();
  }

  @Test
  void withTheSwitchOn_anAdminIssuingForAnotherUser_isRefused_andAudited() {
    federatedSignInOnly(true);

    CofferException e = refused(ada, "", "uma");

    assertEquals(Reason.FEDERATED_SIGN_IN_REQUIRED, e.reason());
    assertTrue(e.getMessage().contains("coffer login"), e.getMessage());
    assertTrue(issueEvents(t.tenantAdmin("acme")).stream().anyMatch(x -> x.actor().equals("ada")
        && x.target().equals("tenants/acme/principals/uma")
        && x.outcome().equals(AuditEvent.DENIED)
        && x.reason().equals("FEDERATED_SIGN_IN_REQUIRED")));
    assertEquals(0, tokens.list(ada, "", "uma", "", 10).items().size());
  }

  @Test
  void withTheSwitchOn_aPersonIssuingForItself_isRefused_adminOrNot() {
    federatedSignInOnly(true);
    assertEquals(Reason.FEDERATED_SIGN_IN_REQUIRED, refused(ada, "", "ada").reason());
    assertEquals(Reason.FEDERATED_SIGN_IN_REQUIRED, refused(uma, "", "uma").reason());
  }

  @Test
  void withTheSwitchOn_theSystemAdminsHandOver_isRefused_andAuditedInBothTenants() {
    federatedSignInOnly(true);
    assertEquals(Reason.FEDERATED_SIGN_IN_REQUIRED, refused(system, "acme", "ada").reason());
    assertTrue(issueEvents(t.tenantAdmin("acme")).stream().anyMatch(x ->
        x.target().equals("tenants/acme/principals/ada")
            && x.reason().equals("FEDERATED_SIGN_IN_REQUIRED")));
    assertTrue(issueEvents(system).stream().anyMatch(x ->
        x.target().equals("tenants/acme/principals/ada")
            && x.reason().equals("FEDERATED_SIGN_IN_REQUIRED")));
  }

  @Test
  void withTheSwitchOn_serviceTokens_areIssuedAsBefore() {
    federatedSignInOnly(true);
    try (var value = tokens.issue(ada, "", "svc-batch", Duration.ofHours(1), "deploy").value()) {
      assertEquals("svc-batch", tokens.authenticate(value).principalId());
    }
    try (var value = tokens.issue(uma, "", "svc-batch", null, "by its owner").value()) {
      assertEquals("svc-batch", tokens.authenticate(value).principalId());
    }
  }

  @Test
  void theSwitch_isPerTenant_andTurningItOffAgain_restoresIssuance() {
    federatedSignInOnly(true);
    t.newPrincipal("default", "dora", false);
    tokens.issue(system, "", "dora", null, "").value().close();
    federatedSignInOnly(false);
    try (var value = tokens.issue(ada, "", "uma", null, "").value()) {
      assertEquals("uma", tokens.authenticate(value).principalId());
    }
  }

  @Test
  void theSharedMinting_isNotBlocked_soAFederatedSignInStillGetsATokenForAPerson() {
    federatedSignInOnly(true);
    Changes changes = new Changes();
    Tokens.Issued minted = tokens.mint(changes, "acme", "uma", Duration.ofMinutes(15), "login");
    t.vault.kernel().audit().commit(changes, new AuditEvent(t.clock.instant(), "acme", "uma",
        AuditAction.AUTHENTICATE, "tenants/acme/principals/uma", AuditEvent.ALLOWED, "", "r",
        ""));
    try (SecretValue value = minted.value()) {
      assertEquals("uma", tokens.authenticate(value).principalId());
    }
  }
}
