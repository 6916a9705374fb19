package dev.coffer.server.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expiry warnings, expiries and state changes, with a movable clock: each notice arrives
 * exactly once, to the second, and only to those who may see it.
 */
class LifecycleMonitorTest {

  static final Instant START = TestVault.START;
  static final Duration D30 = Duration.ofDays(30);
  static final Duration D7 = Duration.ofDays(7);
  static final Duration D1 = Duration.ofDays(1);

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  CallContext alice;
  CallContext bob;
  CallContext sam;
  CallContext olga;
  String clientId;
  LifecycleEvents bus;
  LifecycleMonitor monitor;
  final List<LifecycleWatcher> watchers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    admin = t.newPrincipal("default", "tadmin", true);
    alice = t.newPrincipal("default", "alice", false);
    bob = t.newPrincipal("default", "bob", false);
    sam = t.newPrincipal("default", "sam", false);
    t.vault.directory().tenants().create(t.admin(), "acme", null);
    olga = t.newPrincipal("acme", "olga", true);
    clientId = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    bus = t.vault.lifecycle().events();
    monitor = t.vault.lifecycle().monitor();
  }

  @AfterEach
  void tearDown() {
    watchers.forEach(LifecycleWatcher::close);
    t.close();
  }

  LifecycleWatcher watch(CallContext who) {
    return watch(who, LifecycleWatch.everything());
  }

  LifecycleWatcher watch(CallContext who, LifecycleWatch w) {
    LifecycleWatcher watcher = new LifecycleWatcher(bus, who, w);
    watchers.add(watcher);
    return watcher;
  }

  /** A secret of alice's application expiring at {@code expire}. */
  String secret(Instant expire, boolean shared) {
    return TestSecrets.create(t.vault, alice, clientId, SecretRequest.builder().displayName("s")
        .expireTime(expire).location("/").vaulted(shared).sharingEnabled(shared).build()).stored()
        .metadata().secretId();
  }

  /** Moves the clock to {@code at}, ticks, and returns what {@code w} received, described. */
  List<String> at(Instant at, LifecycleWatcher w) {
    t.clock.set(at);
    monitor.tick();
    return describe(w.take());
  }

  static List<String> describe(List<LifecycleNotice> notices) {
    return notices.stream().map(LifecycleMonitorTest::describe).toList();
  }

  static String describe(LifecycleNotice n) {
    return switch (n.type()) {
      case EXPIRY_WARNING -> "WARNING " + n.resource() + " " + n.leadTime().toDays() + "d @"
          + n.time();
      case EXPIRED -> "EXPIRED " + n.resource() + " @" + n.time();
      case STATE_CHANGED -> n.state() + " " + n.resource()
          + (n.successor().isEmpty() ? "" : " -> " + n.successor());
    };
  }

  static String warning(String resource, Duration lead, Instant expire) {
    return "WARNING " + resource + " " + lead.toDays() + "d @" + expire.minus(lead);
  }

  static String expired(String resource, Instant expire) {
    return "EXPIRED " + resource + " @" + expire;
  }

  @Test
  void secretWarnings_arriveOncePerLeadTime_toTheSecond_thenTheExpiry() {
    Instant e = START.plus(Duration.ofDays(40));
    String s = "secrets/" + secret(e, false);
    LifecycleWatcher w = watch(alice);
    for (Duration lead : List.of(D30, D7, D1)) {
      assertEquals(List.of(), at(e.minus(lead).minusSeconds(1), w), "a second early");
      assertEquals(List.of(warning(s, lead, e)), at(e.minus(lead), w), "to the second");
      assertEquals(List.of(), at(e.minus(lead), w), "same instant, second tick");
      assertEquals(List.of(), at(e.minus(lead).plusSeconds(1), w), "never twice");
    }
    assertEquals(List.of(), at(e.minusSeconds(1), w));
    assertEquals(List.of(expired(s, e)), at(e, w));
    assertEquals(List.of(), at(e.plusSeconds(1), w));
    assertEquals(List.of(), at(e.plus(Duration.ofDays(400)), w));
  }

  @Test
  void aJumpAcrossEveryThreshold_publishesEachCrossingOnce() {
    Instant e = START.plus(Duration.ofDays(40));
    String s = "secrets/" + secret(e, false);
    LifecycleWatcher w = watch(alice);
    assertEquals(Set.of(warning(s, D30, e), warning(s, D7, e), warning(s, D1, e), expired(s, e)),
        new HashSet<>(at(e.plus(D1), w)));
    assertEquals(List.of(), at(e.plus(D30), w));
  }

  @Test
  void aWatchOpenedAfterACrossing_doesNotReceiveIt_butReceivesTheNextOne() {
    Instant e = START.plus(Duration.ofDays(40));
    String s = "secrets/" + secret(e, false);
    LifecycleWatcher first = watch(alice, LifecycleWatch.of(List.of(3600L), List.of()));
    Duration twoHours = Duration.ofHours(2);
    assertEquals(List.of(), at(e.minus(twoHours), first), "the monitor ticked at e - 2h");
    LifecycleWatcher late = watch(alice, LifecycleWatch.of(List.of(twoHours.getSeconds()),
        List.of()));
    assertEquals(List.of(), at(e.minus(twoHours).plusSeconds(1), late), "crossed before");
    assertEquals(List.of(expired(s, e)), at(e, late));
  }

  @Test
  void aSecretCreatedInsideAWindow_isNotWarnedForThatWindow() {
    Instant e = START.plus(Duration.ofDays(3));
    String s = "secrets/" + secret(e, false);
    LifecycleWatcher w = watch(alice);
    List<String> all = new ArrayList<>();
    for (int h = 1; h <= 24 * 4; h++) {
      all.addAll(at(START.plus(Duration.ofHours(h)), w));
    }
    assertEquals(List.of(warning(s, D1, e), expired(s, e)), all);
  }

  @Test
  void revokedSecret_isAnnouncedOnce_andNeverWarnedAgain() {
    Instant e = START.plus(Duration.ofDays(40));
    String id = secret(e, false);
    LifecycleWatcher w = watch(alice);
    t.vault.secrets().secrets().revoke(alice, id, "");
    assertEquals(List.of("REVOKED secrets/" + id), describe(w.take()));
    assertEquals(List.of(), at(e.minus(D7), w));
    assertEquals(List.of(), at(e.plus(D1), w));
  }

  @Test
  void deletedSecret_isAnnouncedOnce_andNeverWarnedAgain() {
    Instant e = START.plus(Duration.ofDays(40));
    String id = secret(e, false);
    LifecycleWatcher w = watch(alice);
    t.vault.secrets().secrets().delete(alice, id, "");
    assertEquals(List.of("DELETED secrets/" + id), describe(w.take()));
    assertEquals(List.of(), at(e.plus(D1), w));
  }

  @Test
  void rotation_namesTheSuccessor_silencesTheOldSecret_andWarnsForTheNewOne() {
    Instant e = START.plus(Duration.ofDays(40));
    String old = secret(e, false);
    LifecycleWatcher w = watch(alice);
    t.clock.set(START.plus(Duration.ofDays(5)));
    String next = t.vault.secrets().rotator().rotate(alice, old, D7, "").stored().metadata()
        .secretId();
    assertEquals(List.of("ROTATED secrets/" + old + " -> secrets/" + next),
        describe(w.take()));
    Instant overlapEnd = START.plus(Duration.ofDays(12));
    Instant e2 = START.plus(Duration.ofDays(45));
    List<String> all = new ArrayList<>();
    for (int d = 5; d <= 50; d++) {
      Instant day = START.plus(Duration.ofDays(d));
      all.addAll(at(day.minusSeconds(1), w));
      all.addAll(at(day, w));
    }
    assertEquals(List.of(expired("secrets/" + old, overlapEnd),
        warning("secrets/" + next, D30, e2), warning("secrets/" + next, D7, e2),
        warning("secrets/" + next, D1, e2), expired("secrets/" + next, e2)), all);
  }

  @Test
  void grantEvents_reachTheGranteeAndTheOwner_butNotAStranger() {
    String id = secret(START.plus(Duration.ofDays(40)), true);
    LifecycleWatcher owner = watch(alice);
    LifecycleWatcher grantee = watch(bob);
    LifecycleWatcher stranger = watch(sam);
    Instant e = START.plus(Duration.ofDays(2));
    Grant g = t.vault.sharing().grants().create(alice, id, "bob", e);
    String name = "grants/" + g.grantId();
    assertEquals(List.of("GRANTED " + name), describe(owner.take()));
    assertEquals(List.of("GRANTED " + name), describe(grantee.take()));
    assertEquals(List.of(warning(name, D1, e)), at(e.minus(D1), grantee));
    assertEquals(List.of(expired(name, e)), at(e, grantee));
    assertEquals(List.of(warning(name, D1, e), expired(name, e)), describe(owner.take()));
    assertEquals(List.of(), stranger.take());
  }

  @Test
  void revokedGrant_isAnnouncedOnce_andNeverWarnedAgain() {
    String id = secret(START.plus(Duration.ofDays(40)), true);
    LifecycleWatcher grantee = watch(bob);
    Instant e = START.plus(Duration.ofDays(2));
    Grant g = t.vault.sharing().grants().create(alice, id, "bob", e);
    t.vault.sharing().grants().revoke(bob, g.grantId(), "");
    assertEquals(List.of("GRANTED grants/" + g.grantId(), "GRANT_REVOKED grants/" + g.grantId()),
        describe(grantee.take()));
    assertEquals(List.of(), at(e.plus(D1), grantee));
  }

  @Test
  void rotationCarriesGrants_andAnnouncesThem_withoutDoubleWarningsOnTheOldGrant() {
    String id = secret(START.plus(Duration.ofDays(40)), true);
    Instant e = START.plus(Duration.ofDays(3));
    Grant g = t.vault.sharing().grants().create(alice, id, "bob", e);
    LifecycleWatcher grantee = watch(bob);
    String next = t.vault.secrets().rotator().rotate(alice, id, D7, "").stored().metadata()
        .secretId();
    List<String> got = describe(grantee.take());
    assertEquals(2, got.size(), got.toString());
    assertEquals("ROTATED secrets/" + id + " -> secrets/" + next, got.get(0));
    assertTrue(got.get(1).startsWith("GRANTED grants/") && !got.get(1).contains(g.grantId()),
        got.toString());
    String carried = got.get(1).substring("GRANTED ".length());
    assertEquals(List.of(warning(carried, D1, e)), at(e.minus(D1), grantee));
    assertEquals(List.of(expired(carried, e)), at(e, grantee));
  }

  @Test
  void pendingRequest_warnsBeforeItsDecisionDeadline_andExpires_forRequesterAndDeciders() {
    String id = secret(START.plus(Duration.ofDays(40)), true);
    LifecycleWatcher owner = watch(alice);
    LifecycleWatcher requester = watch(bob);
    LifecycleWatcher stranger = watch(sam);
    AccessRequest r = t.vault.sharing().accessRequests().create(bob, id, "incident",
        Duration.ofHours(8));
    String name = "accessRequests/" + r.requestId();
    Instant deadline = r.decideDeadline();
    assertEquals(START.plus(D7), deadline);
    assertEquals(List.of("REQUESTED " + name), describe(owner.take()));
    assertEquals(List.of("REQUESTED " + name), describe(requester.take()));
    assertEquals(List.of(), at(deadline.minus(D1).minusSeconds(1), owner));
    assertEquals(List.of(warning(name, D1, deadline)), at(deadline.minus(D1), owner));
    assertEquals(List.of(expired(name, deadline)), at(deadline, owner));
    assertEquals(List.of(warning(name, D1, deadline), expired(name, deadline)),
        describe(requester.take()));
    assertEquals(List.of(), stranger.take());
  }

  @Test
  void approval_announcesTheDecisionAndTheGrant_andSilencesTheDeadline() {
    String id = secret(START.plus(Duration.ofDays(40)), true);
    LifecycleWatcher requester = watch(bob);
    AccessRequest r = t.vault.sharing().accessRequests().create(bob, id, "incident",
        Duration.ofHours(8));
    AccessRequest approved = t.vault.sharing().accessRequests().approve(alice, r.requestId(), "");
    AccessRequest denied = t.vault.sharing().accessRequests().deny(alice,
        t.vault.sharing().accessRequests().create(bob, id, "again", Duration.ofHours(1))
            .requestId(),
        "no", "");
    AccessRequest cancelled = t.vault.sharing().accessRequests().cancel(bob,
        t.vault.sharing().accessRequests().create(bob, id, "third", Duration.ofHours(1))
            .requestId(), "");
    assertEquals(List.of("REQUESTED accessRequests/" + r.requestId(),
        "APPROVED accessRequests/" + r.requestId(), "GRANTED grants/" + approved.grantId(),
        "REQUESTED accessRequests/" + denied.requestId(),
        "DENIED accessRequests/" + denied.requestId(),
        "REQUESTED accessRequests/" + cancelled.requestId(),
        "CANCELLED accessRequests/" + cancelled.requestId()), describe(requester.take()));
    Instant grantEnd = START.plus(Duration.ofHours(8));
    assertEquals(List.of(expired("grants/" + approved.grantId(), grantEnd)),
        at(r.decideDeadline().plus(D1), requester), "only the grant's expiry, no deadline");
  }

  @Test
  void aStranger_seesNothingOfANonSharedSecret_andAnotherTenant_seesNothingAtAll() {
    Instant e = START.plus(Duration.ofDays(40));
    String hidden = secret(e, false);
    String shared = secret(e, true);
    LifecycleWatcher owner = watch(alice);
    LifecycleWatcher tenantAdmin = watch(admin);
    LifecycleWatcher stranger = watch(sam);
    LifecycleWatcher otherTenant = watch(olga);
    t.vault.secrets().rotator().rotate(alice, hidden, null, "");
    t.vault.secrets().secrets().revoke(alice, shared, "");
    t.clock.set(e.plus(D1));
    monitor.tick();
    assertEquals(2 + 3 + 1, owner.take().size(), "rotation, revocation, and the successor's"
        + " three warnings and expiry (no overlap: no separate expiry of the old secret)");
    assertEquals(6, tenantAdmin.take().size());
    assertEquals(List.of("REVOKED secrets/" + shared), describe(stranger.take()));
    assertEquals(List.of(), otherTenant.take());
  }

  @Test
  void resourcesAndLeadTimes_chooseWhatArrives_andAFilteredWatchFollowsRotation() {
    Instant e = START.plus(Duration.ofDays(40));
    String a = secret(e, false);
    String other = secret(e, false);
    LifecycleWatcher w = watch(alice, LifecycleWatch.of(List.of(7200L),
        List.of("secrets/" + a)));
    t.vault.secrets().secrets().revoke(alice, other, "");
    t.clock.set(START.plus(D1));
    String b = t.vault.secrets().rotator().rotate(alice, a, D30, "").stored().metadata().secretId();
    Instant eb = START.plus(D1).plus(Duration.ofDays(40));
    Instant ea = START.plus(D1).plus(D30);
    List<String> all = new ArrayList<>(describe(w.take()));
    for (Instant i : List.of(ea.minusSeconds(7200), ea, eb.minusSeconds(7200), eb)) {
      all.addAll(at(i, w));
    }
    assertEquals(List.of("ROTATED secrets/" + a + " -> secrets/" + b,
        expired("secrets/" + a, ea),
        "WARNING secrets/" + b + " 0d @" + eb.minusSeconds(7200), expired("secrets/" + b, eb)),
        all);
  }

  @Test
  void aBacklogLargerThanOneTick_continuesAtTheNextTick_withoutDuplicates() {
    Instant e = START.plus(Duration.ofDays(40));
    for (int i = 0; i < 25; i++) {
      secret(e, false);
    }
    LifecycleWatcher w = watch(alice);
    var store = t.vault.storage().store();
    LifecycleMonitor small = new LifecycleMonitor(new SecretRepository(store),
        new GrantRepository(store), new AccessRequestRepository(store), bus, t.clock, 10);
    t.clock.set(e.plus(D1));
    assertTrue(small.tick() <= 10);
    List<LifecycleNotice> all = new ArrayList<>(w.take());
    assertTrue(all.size() <= 10, "bounded: " + all.size());
    for (int i = 1; i <= 30; i++) {
      t.clock.set(e.plus(D1).plusSeconds(i));
      small.tick();
      all.addAll(w.take());
    }
    Set<String> distinct = all.stream().map(LifecycleMonitorTest::describe)
        .collect(Collectors.toSet());
    assertEquals(100, all.size(), "25 secrets x (3 warnings + expiry)");
    assertEquals(100, distinct.size(), "no duplicates");
  }
}
