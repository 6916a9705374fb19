package dev.coffer.server.service.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scopes hold secrets exactly like applications: created, listed, verified, owned. */
class ScopesTest {

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  CallContext alice;
  CallContext bob;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    admin = t.admin();
    alice = t.newPrincipal("default", "alice", false);
    bob = t.newPrincipal("default", "bob", false);
    t.vault.directory().scopes().create(alice, "orders.read", "order reads", "");
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  SecretMinter.Minted create(CallContext ctx, String scope) {
    return TestSecrets.create(t.vault, ctx, SecretParent.ofScope(scope),
        SecretRequest.builder().displayName("introspection").location("/").build(), null);
  }

  @Test
  void scopeSecret_isGenerated_verifiedByScope_andListedUnderIt() {
    try (SecretMinter.Minted m = create(alice, "orders.read")) {
      assertEquals(SecretKind.SCOPE_SECRET, m.stored().metadata().kind());
      assertTrue(m.value().reveal().startsWith("cfr_ss_"));
      var hit = t.vault.secrets().verifier().verify(bob, SecretParent.ofScope("orders.read"),
          m.value());
      assertTrue(hit.match());
      assertEquals(m.stored().metadata().secretId(), hit.secretId());
      var page = t.vault.secrets().secrets().list(alice, SecretParent.ofScope("orders.read"), "",
          null, false, "", 10);
      assertEquals(1, page.items().size());
    }
    try (SecretValue wrongKind = new dev.coffer.server.crypto.SecretGenerator()
        .generate(dev.coffer.server.crypto.ValueFormat.CLIENT_SECRET)) {
      CofferException e = assertThrows(CofferException.class, () -> t.vault.secrets().verifier()
          .verify(bob, SecretParent.ofScope("orders.read"), wrongKind));
      assertEquals("value", e.violations().get(0).field());
    }
  }

  @Test
  void onlyTheScopeOwnerOrAnAdmin_createsItsSecrets() {
    assertEquals(Reason.NOT_OWNER, assertThrows(CofferException.class,
        () -> create(bob, "orders.read")).reason());
    create(admin, "orders.read").close();
  }

  @Test
  void scopes_areUniquePerTenant_andInvisibleToOthers() {
    assertEquals(Reason.ALREADY_EXISTS, assertThrows(CofferException.class,
        () -> t.vault.directory().scopes().create(admin, "orders.read", "", "")).reason());
    t.vault.directory().tenants().create(admin, "acme", null);
    CallContext olga = t.newPrincipal("acme", "olga", true);
    assertEquals(Reason.SCOPE_NOT_FOUND, assertThrows(CofferException.class,
        () -> t.vault.directory().scopes().get(olga, "orders.read")).reason());
    assertEquals(Reason.SCOPE_NOT_FOUND, assertThrows(CofferException.class,
        () -> create(olga, "orders.read")).reason());
    t.vault.directory().scopes().create(olga, "orders.read", "", "");
    assertEquals(1, t.vault.directory().scopes().list(olga, "", 10).items().size());
  }

  @Test
  void badInput_namesTheField() {
    for (String bad : new String[] {"", "1orders", "orders read", "a/b", "x".repeat(200)}) {
      CofferException e = assertThrows(CofferException.class,
          () -> t.vault.directory().scopes().create(admin, bad, "", ""));
      assertEquals("scope_id", e.violations().get(0).field());
    }
    assertEquals("owner", assertThrows(CofferException.class,
        () -> t.vault.directory().scopes().create(admin, "orders.write", "", "nobody")).violations()
            .get(0)
        .field());
    assertEquals("key_algorithm", assertThrows(CofferException.class,
        () -> TestSecrets.create(t.vault, alice, SecretParent.ofScope("orders.read"),
            SecretRequest.builder().displayName("k").location("/").build(),
            KeyAlgorithm.RS256)).violations().get(0).field());
    assertFalse(t.vault.directory().scopes().list(admin, "", 10).items().isEmpty());
  }
}
