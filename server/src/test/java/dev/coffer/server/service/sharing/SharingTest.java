package dev.coffer.server.service.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Requests, approvals, grants, rotation and stored credentials, to the second. */
class SharingTest {

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  CallContext alice;
  CallContext bob;
  String clientId;
  String shared;
  String sharedValue;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    admin = t.admin();
    alice = t.newPrincipal("default", "alice", false);
    bob = t.newPrincipal("default", "bob", false);
    clientId = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    SecretMinter.Minted m = create(true, true, false);
    shared = m.stored().metadata().secretId();
    sharedValue = m.value().reveal();
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  SecretMinter.Minted create(boolean vaulted, boolean share, boolean preapprove) {
    return TestSecrets.create(t.vault, alice, clientId, SecretRequest.builder().displayName("s")
        .location("/").vaulted(vaulted).sharingEnabled(share).preapproveOwner(preapprove).build());
  }

  static void assertReason(Reason reason, Executable call) {
    CofferException e = assertThrows(CofferException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
  }

  String reveal(CallContext who, String id) {
    try (SecretValue v = t.vault.secrets().reader().reveal(who, id)) {
      return v.reveal();
    }
  }

  AccessRequest request(CallContext who, String id, Duration d) {
    return t.vault.sharing().accessRequests().create(who, id, "incident 4411", d);
  }

  @Test
  void requestApproveReveal_thenGrantExpiresToTheSecond() {
    AccessRequest req = request(bob, shared, Duration.ofHours(8));
    assertEquals(AccessRequest.State.PENDING, req.stateAt(t.clock.instant()));
    assertReason(Reason.NO_GRANT, () -> reveal(bob, shared));
    AccessRequest approved = t.vault.sharing().accessRequests().approve(alice, req.requestId(), "");
    assertEquals(AccessRequest.State.APPROVED, approved.stateAt(t.clock.instant()));
    assertEquals(sharedValue, reveal(bob, shared));
    Grant grant = t.vault.sharing().grants().get(bob, approved.grantId());
    assertEquals(t.clock.instant().plus(Duration.ofHours(8)), grant.expireTime());
    t.clock.set(grant.expireTime().minusSeconds(1));
    assertEquals(sharedValue, reveal(bob, shared));
    t.clock.set(grant.expireTime());
    assertReason(Reason.GRANT_EXPIRED, () -> reveal(bob, shared));
  }

  @Test
  void revokedGrant_isDeniedAtOnce() {
    AccessRequest approved = t.vault.sharing().accessRequests().approve(alice,
        request(bob, shared, Duration.ofHours(1)).requestId(), "");
    assertEquals(sharedValue, reveal(bob, shared));
    t.vault.sharing().grants().revoke(alice, approved.grantId(), "");
    assertReason(Reason.GRANT_REVOKED, () -> reveal(bob, shared));
  }

  @Test
  void requestsForUnsharedOrNonVaultedSecrets_areFailedPreconditions() {
    String unshared = create(true, false, false).stored().metadata().secretId();
    String plain = create(false, false, false).stored().metadata().secretId();
    assertReason(Reason.SECRET_NOT_FOUND, () -> request(bob, unshared, Duration.ofHours(1)));
    assertReason(Reason.SHARING_DISABLED, () -> request(admin, unshared, Duration.ofHours(1)));
    assertReason(Reason.SHARING_DISABLED, () -> request(admin, plain, Duration.ofHours(1)));
    assertReason(Reason.SHARING_DISABLED, () -> t.vault.sharing().grants().create(alice, unshared,
        "bob", t.clock.instant().plusSeconds(60)));
  }

  @Test
  void durationAboveThePolicyMaximum_isInvalid() {
    CofferException e = assertThrows(CofferException.class,
        () -> request(bob, shared, Duration.ofDays(31)));
    assertEquals("duration", e.violations().get(0).field());
  }

  @Test
  void nobodyDecidesTheirOwnRequest() {
    AccessRequest own = request(admin, shared, Duration.ofHours(1));
    assertReason(Reason.SELF_DECISION, () -> t.vault.sharing().accessRequests().approve(admin,
        own.requestId(), ""));
    t.vault.sharing().accessRequests().approve(alice, own.requestId(), "");
  }

  @Test
  void strangerCannotDecide_andOnlyTheRequesterCancels() {
    CallContext carl = t.newPrincipal("default", "carl", false);
    AccessRequest req = request(bob, shared, Duration.ofHours(1));
    assertReason(Reason.ACCESS_REQUEST_NOT_FOUND, () -> t.vault.sharing().accessRequests()
        .approve(carl, req.requestId(), ""));
    assertReason(Reason.NOT_REQUESTER, () -> t.vault.sharing().accessRequests().cancel(alice,
        req.requestId(), ""));
    assertEquals(AccessRequest.State.CANCELLED, t.vault.sharing().accessRequests().cancel(bob,
        req.requestId(), "").stateAt(t.clock.instant()));
    assertReason(Reason.REQUEST_NOT_PENDING, () -> t.vault.sharing().accessRequests().approve(alice,
        req.requestId(), ""));
  }

  @Test
  void deniedRequest_grantsNothing_andLeavesThePendingQueue() {
    AccessRequest req = request(bob, shared, Duration.ofHours(1));
    assertEquals(1, t.vault.sharing().accessRequests().list(alice, true, false, "", 10).items()
        .size());
    assertEquals(1, t.vault.sharing().accessRequests().list(admin, true, false, "", 10).items()
        .size());
    AccessRequest denied = t.vault.sharing().accessRequests().deny(alice, req.requestId(),
        "not today", "");
    assertEquals("not today", denied.denyReason());
    assertReason(Reason.NO_GRANT, () -> reveal(bob, shared));
    assertTrue(t.vault.sharing().accessRequests().list(alice, true, false, "", 10).items()
        .isEmpty());
    assertEquals(1, t.vault.sharing().accessRequests().list(bob, false, true, "", 10).items()
        .size());
  }

  @Test
  void undecidedRequest_expiresAtTheDecisionDeadline() {
    AccessRequest req = request(bob, shared, Duration.ofHours(1));
    t.clock.set(req.decideDeadline().minusSeconds(1));
    assertEquals(AccessRequest.State.PENDING,
        t.vault.sharing().accessRequests().get(bob, req.requestId()).stateAt(t.clock.instant()));
    t.clock.set(req.decideDeadline());
    assertEquals(AccessRequest.State.EXPIRED,
        t.vault.sharing().accessRequests().get(bob, req.requestId()).stateAt(t.clock.instant()));
    assertReason(Reason.REQUEST_NOT_PENDING, () -> t.vault.sharing().accessRequests().approve(alice,
        req.requestId(), ""));
  }

  @Test
  void directGrant_mustExpireWithinThePolicy() {
    Instant now = t.clock.instant();
    CofferException never = assertThrows(CofferException.class,
        () -> t.vault.sharing().grants().create(alice, shared, "bob", null));
    assertEquals("expire_time", never.violations().get(0).field());
    CofferException tooLong = assertThrows(CofferException.class,
        () -> t.vault.sharing().grants().create(alice, shared, "bob",
            now.plus(Duration.ofDays(31))));
    assertEquals("expire_time", tooLong.violations().get(0).field());
    assertReason(Reason.NOT_OWNER, () -> t.vault.sharing().grants().create(bob, shared, "alice",
        now.plusSeconds(60)));
    Grant g = t.vault.sharing().grants().create(alice, shared, "bob", now.plusSeconds(60));
    assertEquals(sharedValue, reveal(bob, shared));
    assertEquals(1, t.vault.sharing().grants().list(alice, shared, "", 10).items().size());
    assertEquals(g.grantId(), t.vault.sharing().grants().list(bob, "", "", 10).items().get(0)
        .grantId());
    assertReason(Reason.NOT_OWNER, () -> t.vault.sharing().grants().list(bob, shared, "", 10));
  }

  @Test
  void sharedSecrets_areVisibleInTheTenant_butNotReadable() {
    assertEquals(shared, t.vault.secrets().secrets().get(bob, shared).secretId());
    assertEquals(1, t.vault.secrets().secrets().list(bob, null, "", null, true, "", 10).items()
        .size());
    assertReason(Reason.NO_GRANT, () -> reveal(bob, shared));
  }

  @Test
  void rotate_overlapsToTheSecond_andCarriesGrants() {
    Grant g = t.vault.sharing().grants().create(alice, shared, "bob", t.clock.instant()
        .plus(Duration.ofDays(2)));
    SecretMinter.Minted next = t.vault.secrets().rotator().rotate(alice, shared,
        Duration.ofHours(1), "");
    String nextId = next.stored().metadata().secretId();
    String nextValue = next.value().reveal();
    assertNotEquals(sharedValue, nextValue);
    SecretMetadata old = t.vault.secrets().secrets().get(alice, shared);
    assertEquals(nextId, old.rotatedTo());
    assertEquals(shared, t.vault.secrets().secrets().get(alice, nextId).rotatedFrom());
    assertEquals(1, t.vault.secrets().secrets().list(alice, null, "", Duration.ofDays(400), false,
        "", 100).items().stream().filter(s -> s.secretId().equals(shared)).count(),
        "the rotated secret's moved expiry is indexed once");
    assertEquals(nextValue, reveal(bob, nextId), "grants carry over");
    assertEquals(g.expireTime(), t.vault.sharing().grants().list(alice, nextId, "", 10).items()
        .get(0).expireTime());
    t.clock.advance(Duration.ofHours(1).minusSeconds(1));
    assertTrue(verify(sharedValue));
    t.clock.advance(Duration.ofSeconds(1));
    assertFalse(verify(sharedValue));
    assertTrue(verify(nextValue));
    assertEquals(SecretState.EXPIRED, t.vault.secrets().secrets().get(alice, shared)
        .stateAt(t.clock.instant()));
    assertReason(Reason.NOT_ROTATABLE, () -> t.vault.secrets().rotator().rotate(alice, shared, null,
        ""));
  }

  @Test
  void rotateWithoutOverlap_expiresTheOldSecretAtOnce() {
    t.vault.secrets().rotator().rotate(alice, shared, null, "");
    assertFalse(verify(sharedValue));
  }

  @Test
  void storedCredential_isVaultedAndDistributedThroughGrants() {
    String imported = "entra~" + "x".repeat(34);
    String id;
    try (SecretValue v = SecretValue.ofString(imported)) {
      id = t.vault.secrets().credentials().store(alice, "2f1c0c1e-entra", SecretRequest.builder()
          .displayName("payments-entra").location("/").sharingEnabled(true).build(), v).metadata()
          .secretId();
    }
    SecretMetadata m = t.vault.secrets().secrets().get(alice, id);
    assertTrue(m.vaulted());
    assertEquals("2f1c0c1e-entra", m.externalClientId());
    t.vault.sharing().accessRequests().approve(alice, request(bob, id, Duration.ofHours(1))
        .requestId(), "");
    assertEquals(imported, reveal(bob, id));
    assertReason(Reason.NOT_ROTATABLE, () -> t.vault.secrets().rotator().rotate(alice, id, null,
        ""));
    try (SecretValue shortValue = SecretValue.ofString("short")) {
      CofferException e = assertThrows(CofferException.class, () -> t.vault.secrets().credentials()
          .store(alice, "x", SecretRequest.builder().displayName("n").location("/").vaulted(true)
              .build(),
              shortValue));
      assertEquals("value", e.violations().get(0).field());
    }
  }

  private boolean verify(String value) {
    try (SecretValue v = SecretValue.ofString(value)) {
      return t.vault.secrets().verifier().verify(alice, clientId, v).match();
    }
  }
}
