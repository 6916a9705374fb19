package dev.coffer.server.service.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  CallContext alice;
  Application app;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    admin = t.admin();
    alice = t.newPrincipal("default", "alice", false);
    t.vault.secrets().locations().create(admin, "/Finance/Payments");
    app = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        dev.coffer.server.domain.OAuthFlow.AUTHORIZATION_CODE, "alice").application();
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  SecretRequest request(boolean vaulted, boolean share, boolean preapprove) {
    return SecretRequest.builder().displayName("ci-deploy").description("for CI")
        .location("/Finance").vaulted(vaulted).sharingEnabled(share).preapproveOwner(preapprove)
        .build();
  }

  SecretMinter.Minted create(CallContext ctx, SecretRequest req) {
    return TestSecrets.create(t.vault, ctx, app.clientId(), req);
  }

  @Test
  void create_generatesWellFormedValueAndDefaults() {
    SecretMinter.Minted m = create(alice, request(false, false, false));
    SecretMetadata meta = m.stored().metadata();
    try (SecretValue v = m.value()) {
      assertTrue(ValueFormat.CLIENT_SECRET.isWellFormed(v));
      assertEquals(v.reveal().substring(7, 10), meta.hint());
    }
    assertEquals("alice", meta.owner());
    assertEquals(TestVault.START.plus(Duration.ofDays(365)), meta.expireTime());
    assertNull(m.stored().sealed(), "a non-vaulted secret keeps no ciphertext");
    assertEquals(SecretState.ACTIVE, meta.stateAt(t.clock.instant()));
  }

  @Test
  void nonVaultedValue_isKeptOnlyAsVerifier_andCannotBeRevealed() {
    SecretMinter.Minted m = create(alice, request(false, false, false));
    String id = m.stored().metadata().secretId();
    CofferException e = assertThrows(CofferException.class,
        () -> t.vault.secrets().reader().reveal(alice, id));
    assertEquals(Reason.NOT_VAULTED, e.reason());
  }

  @Test
  void sharingWithoutVault_isInvalidNamingTheField_andChangesNothing() {
    CofferException e = assertThrows(CofferException.class,
        () -> create(alice, request(false, true, false)));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals("sharing_enabled", e.violations().get(0).field());
    assertTrue(list(admin, "", "", null).items().isEmpty());
  }

  @Test
  void everyBadField_isNamed() {
    SecretRequest bad = SecretRequest.builder().description("x".repeat(2000))
        .expireTime(TestVault.START.minusSeconds(1)).location("/Nowhere").owner("mallory")
        .preapproveOwner(true).build();
    CofferException e = assertThrows(CofferException.class, () -> create(alice, bad));
    Set<String> fields = new HashSet<>();
    e.violations().forEach(v -> fields.add(v.field()));
    assertEquals(Set.of("display_name", "description", "expire_time", "location", "owner",
        "preapprove_owner"), fields);
  }

  @Test
  void neverExpires_isRefusedUnlessPolicyAllows() {
    SecretRequest never = SecretRequest.builder().displayName("n").neverExpires(true).location("/")
        .build();
    CofferException e = assertThrows(CofferException.class, () -> create(alice, never));
    assertEquals("never_expires", e.violations().get(0).field());
  }

  @Test
  void expirationBeyondPolicyMaximum_isInvalid() {
    SecretRequest far = SecretRequest.builder().displayName("n")
        .expireTime(TestVault.START.plus(Duration.ofDays(731))).location("/").build();
    CofferException e = assertThrows(CofferException.class, () -> create(alice, far));
    assertEquals("expire_time", e.violations().get(0).field());
  }

  @Test
  void stranger_cannotCreateSecretsForSomeoneElsesApplication() {
    CallContext bob = t.newPrincipal("default", "bob", false);
    CofferException e = assertThrows(CofferException.class,
        () -> create(bob, request(false, false, false)));
    assertEquals(Reason.NOT_OWNER, e.reason());
  }

  @Test
  void verify_matchesUntilTheExactSecondOfExpiry() {
    Instant expiry = TestVault.START.plus(Duration.ofHours(1));
    SecretMinter.Minted m = create(alice, SecretRequest.builder().displayName("short")
        .expireTime(expiry).location("/").build());
    String value = m.value().reveal();
    t.clock.set(expiry.minusSeconds(1));
    assertTrue(verify(alice, value).match());
    t.clock.set(expiry);
    assertFalse(verify(alice, value).match());
    assertEquals(SecretState.EXPIRED,
        t.vault.secrets().secrets().get(alice, m.stored().metadata().secretId()).stateAt(expiry));
  }

  @Test
  void verify_rejectsMalformedValueBeforeAnyLookup() {
    String bogus = "cfr_cs_" + "A".repeat(49);
    long auditBefore = t.vault.kernel().audit().lastSequence();
    CofferException e = assertThrows(CofferException.class,
        () -> verify(alice, bogus));
    assertEquals("value", e.violations().get(0).field());
    assertEquals(auditBefore, t.vault.kernel().audit().lastSequence());
    try (SecretValue v = SecretValue.ofString(bogus)) {
      CofferException unknownClient = assertThrows(CofferException.class,
          () -> t.vault.secrets().verifier().verify(alice, "no-such-client", v));
      assertEquals(Reason.INVALID_FIELD, unknownClient.reason(),
          "the format is checked before the client is looked up");
    }
  }

  @Test
  void verify_falseForOtherValue_andForRevokedOrDeletedSecret() {
    SecretMinter.Minted a = create(alice, request(false, false, false));
    SecretMinter.Minted b = create(alice, request(false, false, false));
    String va = a.value().reveal();
    String vb = b.value().reveal();
    assertTrue(verify(alice, va).match());
    assertEquals(a.stored().metadata().secretId(), verify(alice, va).secretId());
    t.vault.secrets().secrets().revoke(alice, a.stored().metadata().secretId(), "");
    assertFalse(verify(alice, va).match());
    t.vault.secrets().secrets().delete(alice, b.stored().metadata().secretId(), "");
    assertFalse(verify(alice, vb).match());
  }

  @Test
  void failedVerifications_areRateLimitedPerClient() {
    SecretMinter.Minted m = create(alice, request(false, false, false));
    String other = TestSecrets.create(t.vault, alice, app.clientId(), request(false, false, false))
        .value().reveal();
    t.vault.secrets().secrets().delete(alice, findIdOf(other), "");
    for (int i = 0; i < 5; i++) {
      assertFalse(verify(alice, other).match());
    }
    CofferException e = assertThrows(CofferException.class, () -> verify(alice, other));
    assertEquals(Reason.VERIFY_RATE_LIMITED, e.reason());
    assertNotNull(m);
  }

  @Test
  void reveal_ownerWithPreapproval_getsTheValue_andOthersAreDenied() {
    SecretMinter.Minted m = create(alice, request(true, true, true));
    String id = m.stored().metadata().secretId();
    String value = m.value().reveal();
    try (SecretValue revealed = t.vault.secrets().reader().reveal(alice, id)) {
      assertEquals(value, revealed.reveal());
    }
    CofferException denied = assertThrows(CofferException.class,
        () -> t.vault.secrets().reader().reveal(admin, id));
    assertEquals(Reason.NO_GRANT, denied.reason(), "admin rights are not read rights");
  }

  @Test
  void reveal_withoutPreapproval_isDenied() {
    SecretMinter.Minted m = create(alice, request(true, false, false));
    CofferException e = assertThrows(CofferException.class,
        () -> t.vault.secrets().reader().reveal(alice, m.stored().metadata().secretId()));
    assertEquals(Reason.NOT_PREAPPROVED, e.reason());
  }

  @Test
  void reveal_stopsAtTheSecondOfExpiry() {
    Instant expiry = TestVault.START.plus(Duration.ofMinutes(5));
    SecretMinter.Minted m = create(alice, SecretRequest.builder().displayName("v")
        .expireTime(expiry).location("/").vaulted(true).preapproveOwner(true).build());
    String id = m.stored().metadata().secretId();
    t.clock.set(expiry.minusSeconds(1));
    t.vault.secrets().reader().reveal(alice, id).close();
    t.clock.set(expiry);
    CofferException e = assertThrows(CofferException.class, () -> t.vault.secrets().reader()
        .reveal(alice, id));
    assertEquals(Reason.SECRET_EXPIRED, e.reason());
  }

  @Test
  void secretsInvisibleToCaller_areNotFound() {
    SecretMinter.Minted m = create(alice, request(false, false, false));
    CallContext bob = t.newPrincipal("default", "bob", false);
    CofferException e = assertThrows(CofferException.class,
        () -> t.vault.secrets().secrets().get(bob, m.stored().metadata().secretId()));
    assertEquals(Reason.SECRET_NOT_FOUND, e.reason());
    assertTrue(list(bob, "", "", null).items().isEmpty());
  }

  @Test
  void otherTenant_seesNothing() {
    SecretMinter.Minted m = create(alice, request(false, false, false));
    t.vault.directory().tenants().create(admin, "acme", null);
    CallContext carol = t.newPrincipal("acme", "carol", true);
    CofferException e = assertThrows(CofferException.class,
        () -> t.vault.secrets().secrets().get(carol, m.stored().metadata().secretId()));
    assertEquals(Reason.SECRET_NOT_FOUND, e.reason());
    assertTrue(list(carol, "", "", null).items().isEmpty());
    CofferException verify = assertThrows(CofferException.class,
        () -> verify(carol, m.value().reveal()));
    assertEquals(Reason.APPLICATION_NOT_FOUND, verify.reason());
  }

  @Test
  void delete_removesFromListings_butAuditRemains() {
    SecretMinter.Minted m = create(alice, request(true, false, true));
    String id = m.stored().metadata().secretId();
    long before = t.vault.kernel().audit().lastSequence();
    t.vault.secrets().secrets().delete(alice, id, "");
    assertTrue(list(admin, "", "", null).items().isEmpty());
    assertTrue(list(admin, app.clientId(), "", null).items().isEmpty());
    assertTrue(list(admin, "", "/Finance", null).items().isEmpty());
    assertTrue(list(admin, "", "", Duration.ofDays(400)).items().isEmpty());
    assertEquals(before + 1, t.vault.kernel().audit().lastSequence());
    assertThrows(CofferException.class, () -> t.vault.secrets().secrets().get(alice, id));
  }

  @Test
  void staleEtag_isAborted_andChangesNothing() {
    SecretMinter.Minted m = create(alice, request(false, false, false));
    String id = m.stored().metadata().secretId();
    CofferException e = assertThrows(CofferException.class,
        () -> t.vault.secrets().secrets().revoke(alice, id, "r999"));
    assertEquals(Reason.ETAG_MISMATCH, e.reason());
    assertEquals(SecretState.ACTIVE, t.vault.secrets().secrets().get(alice, id)
        .stateAt(t.clock.instant()));
    SecretMetadata revoked = t.vault.secrets().secrets().revoke(alice, id, "r1");
    assertEquals("r2", revoked.etag());
  }

  @Test
  void listing_paginatesWithoutDuplicatesOrGaps() {
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 23; i++) {
      created.add(create(alice, request(false, false, false)).stored().metadata().secretId());
    }
    Set<String> seen = new HashSet<>();
    String token = "";
    int pages = 0;
    do {
      Page<SecretMetadata> page = t.vault.secrets().secrets().list(alice, null, "", null, false,
          token, 5);
      page.items().forEach(m -> assertTrue(seen.add(m.secretId()), "duplicate"));
      token = page.nextPageToken();
      pages++;
    } while (!token.isEmpty() && pages < 20);
    assertEquals(created, seen);
    assertEquals(5, pages);
  }

  @Test
  void listing_filtersByLocationSubtree_andExpiringWithin() {
    SecretMinter.Minted fin = create(alice, request(false, false, false));
    SecretMinter.Minted pay = create(alice, SecretRequest.builder().displayName("p")
        .expireTime(TestVault.START.plus(Duration.ofDays(10))).location("/Finance/Payments")
        .build());
    create(alice, SecretRequest.builder().displayName("r").location("/").build());
    assertEquals(Set.of(fin.stored().metadata().secretId(), pay.stored().metadata().secretId()),
        ids(list(alice, "", "/Finance", null)));
    assertEquals(Set.of(pay.stored().metadata().secretId()),
        ids(list(alice, "", "/Finance/Payments", null)));
    assertEquals(Set.of(pay.stored().metadata().secretId()),
        ids(list(alice, "", "", Duration.ofDays(30))));
    assertEquals(3, list(alice, "", "/", null).items().size());
  }

  @Test
  void pageTokenOfAnotherListing_isInvalid() {
    for (int i = 0; i < 3; i++) {
      create(alice, request(false, false, false));
    }
    String token = t.vault.secrets().secrets().list(alice, null, "", null, false, "", 1)
        .nextPageToken();
    CofferException e = assertThrows(CofferException.class,
        () -> t.vault.secrets().secrets().list(alice, null, "/Finance", null, false, token, 1));
    assertEquals("page_token", e.violations().get(0).field());
  }

  private Page<SecretMetadata> list(CallContext ctx, String clientId, String location,
      Duration expiring) {
    return t.vault.secrets().secrets().list(ctx,
        clientId.isEmpty() ? null : SecretParent.application(clientId), location, expiring,
        false, "", 100);
  }

  private static Set<String> ids(Page<SecretMetadata> page) {
    Set<String> ids = new HashSet<>();
    page.items().forEach(m -> ids.add(m.secretId()));
    return ids;
  }

  private SecretVerifier.Result verify(CallContext ctx, String value) {
    try (SecretValue v = SecretValue.ofString(value)) {
      return t.vault.secrets().verifier().verify(ctx, app.clientId(), v);
    }
  }

  private String findIdOf(String value) {
    return verify(alice, value).secretId();
  }

  @Test
  void concurrentRevokesOfOneSecret_oneWins_theOthersSeeItRevoked()
      throws Exception {
    String id = create(alice, request(false, false, false)).stored().metadata().secretId();
    long before = t.vault.kernel().audit().lastSequence();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.List<java.util.concurrent.Future<Reason>> outcomes = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        outcomes.add(pool.submit(() -> {
          try {
            t.vault.secrets().secrets().revoke(alice, id, "");
            return null;
          } catch (CofferException e) {
            return e.reason();
          }
        }));
      }
      int won = 0;
      for (var f : outcomes) {
        Reason r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        if (r == null) {
          won++;
        } else {
          assertEquals(Reason.ALREADY_REVOKED, r);
        }
      }
      assertEquals(1, won, "a read-check-write per secret is serialised");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(before + 1, t.vault.kernel().audit().lastSequence(), "one revocation recorded");
  }

  @Test
  void concurrentDeletesOfDifferentSecrets_allSucceed() throws Exception {
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 32; i++) {
      ids.add(create(alice, request(false, false, false)).stored().metadata().secretId());
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (String id : ids) {
        done.add(pool.submit(() -> t.vault.secrets().secrets().delete(alice, id, "")));
      }
      for (var f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String id : ids) {
      CofferException e = assertThrows(CofferException.class,
          () -> t.vault.secrets().secrets().get(alice, id));
      assertEquals(Reason.SECRET_NOT_FOUND, e.reason());
    }
  }
}
