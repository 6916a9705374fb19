package dev.coffer.server.service.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.audit.AuditEntry;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.service.lifecycle.LifecycleWatch;
import dev.coffer.server.service.lifecycle.LifecycleWatcher;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaked-secret reports over a real vault: a live secret is found from its value alone and
 * quarantined (verify and reveal refuse it with a clear reason, its owner sees it, a
 * lifecycle and an audit event fire); expired, revoked, deleted and unknown values get the
 * same answer as any non-match; rotation, then release, lets the old value serve out its
 * overlap.
 */
class LeakReportsTest {

  static final InetSocketAddress SCANNER = new InetSocketAddress("127.0.0.9", 40000);

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
    app = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "alice").application();
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  SecretMinter.Minted create(boolean vaulted) {
    return TestSecrets.create(t.vault, alice, app.clientId(), SecretRequest.builder()
        .displayName("ci").location("/").vaulted(vaulted).preapproveOwner(vaulted).build());
  }

  void report(String value) {
    try (SecretValue v = SecretValue.ofString(value)) {
      t.vault.secrets().leakReports().report("req-leak", SCANNER, v);
    }
  }

  List<AuditEntry> leakEvents(CallContext ctx) {
    return t.vault.operator().auditTrail().list(ctx, new AuditFilter(null, null, "", "",
        AuditAction.LEAK_REPORT.name()), "", 100).items();
  }

  @Test
  void liveSecret_isQuarantined_verifyAndRevealRefuse_ownerSeesIt() throws Exception {
    String value;
    String id;
    try (SecretMinter.Minted m = create(true)) {
      value = m.value().reveal();
      id = m.stored().metadata().secretId();
    }
    var watcher = new LifecycleWatcher(t.vault.lifecycle().events(), alice,
        LifecycleWatch.everything());
    report(value);

    var meta = t.vault.secrets().secrets().get(alice, id);
    assertEquals(SecretState.QUARANTINED, meta.stateAt(t.clock.instant()));
    assertNotNull(meta.quarantineTime());
    CofferException verify = assertThrows(CofferException.class,
        () -> t.vault.secrets().verifier().verify(alice, app.clientId(),
            SecretValue.ofString(value)));
    assertEquals(Reason.SECRET_QUARANTINED, verify.reason());
    CofferException reveal = assertThrows(CofferException.class,
        () -> t.vault.secrets().reader().reveal(alice, id));
    assertEquals(Reason.SECRET_QUARANTINED, reveal.reason());

    var notices = watcher.take();
    watcher.close();
    assertEquals(1, notices.size());
    var notice = notices.get(0);
    assertEquals("secrets/" + id, notice.resource());
    assertEquals("QUARANTINED", notice.state());
    List<AuditEntry> events = leakEvents(admin);
    assertEquals(1, events.size());
    assertEquals("ALLOWED", events.get(0).outcome());
    assertEquals("secrets/" + id, events.get(0).target());
    assertEquals("req-leak", events.get(0).requestId());
    assertEquals("", events.get(0).actor());
  }

  @Test
  void nonMatches_allAnswerAlike_andNeverQuarantine() {
    String expired;
    String revoked;
    String deleted;
    try (SecretMinter.Minted a = TestSecrets.create(t.vault, alice, app.clientId(),
        SecretRequest.builder().displayName("soon").expireTime(t.clock.instant().plusSeconds(10))
            .location("/").build());
         SecretMinter.Minted b = create(false);
         SecretMinter.Minted c = create(false)) {
      expired = a.value().reveal();
      revoked = b.value().reveal();
      deleted = c.value().reveal();
      t.vault.secrets().secrets().revoke(alice, b.stored().metadata().secretId(), "");
      t.vault.secrets().secrets().delete(alice, c.stored().metadata().secretId(), "");
    }
    t.clock.advance(Duration.ofSeconds(10));
    String unknown;
    try (SecretValue v = new SecretGenerator().generate(ValueFormat.CLIENT_SECRET)) {
      unknown = v.reveal();
    }
    long before = t.vault.kernel().audit().lastSequence();
    for (String value : List.of(expired, revoked, deleted, unknown)) {
      report(value); // returns normally: nothing tells these apart
    }
    assertEquals(before + 4, t.vault.kernel().audit().lastSequence(), "one event per report");
    List<String> reasons = new ArrayList<>();
    for (var e : leakEvents(admin)) {
      assertEquals("FAILED", e.outcome());
      reasons.add(e.reason());
    }
    assertEquals(List.of("SECRET_EXPIRED", "SECRET_REVOKED"), reasons,
        "the tenant's own trail names the dead values that leaked; unknown ones have no tenant");
  }

  @Test
  void scopeSecret_isFoundAndQuarantinedToo() {
    t.vault.directory().scopes().create(alice, "orders.read", "", "");
    try (SecretMinter.Minted m = TestSecrets.create(t.vault, alice,
        SecretParent.ofScope("orders.read"), SecretRequest.builder().displayName("introspect")
            .location("/").build(), null)) {
      assertTrue(m.value().reveal().startsWith("cfr_ss_"));
      report(m.value().reveal());
      assertEquals(SecretState.QUARANTINED, t.vault.secrets().secrets().get(alice,
          m.stored().metadata().secretId()).stateAt(t.clock.instant()));
    }
  }

  @Test
  void malformedValues_areInvalid_withoutAnyEvent() {
    long before = t.vault.kernel().audit().lastSequence();
    for (String bad : List.of("", "cfr_cs_short", "hello world",
        "cfr_at_" + "0".repeat(49))) {
      CofferException e = assertThrows(CofferException.class, () -> report(bad));
      assertEquals("value", e.violations().get(0).field());
    }
    assertEquals(before, t.vault.kernel().audit().lastSequence());
  }

  @Test
  void reports_areRateLimitedPerPeer() {
    String unknown;
    try (SecretValue v = new SecretGenerator().generate(ValueFormat.CLIENT_SECRET)) {
      unknown = v.reveal();
    }
    for (int i = 0; i < LeakReports.DEFAULT_PER_PEER_PER_MINUTE; i++) {
      report(unknown);
    }
    CofferException e = assertThrows(CofferException.class, () -> report(unknown));
    assertEquals(Reason.LEAK_REPORT_RATE_LIMITED, e.reason());
    try (SecretValue v = SecretValue.ofString(unknown)) {
      t.vault.secrets().leakReports().report("req-other", new InetSocketAddress("127.0.0.10", 1),
          v);
    }
    t.clock.advance(Duration.ofMinutes(1));
    report(unknown);
  }

  String unknownValue() {
    try (SecretValue v = new SecretGenerator().generate(ValueFormat.CLIENT_SECRET)) {
      return v.reveal();
    }
  }

  /** Reports {@code value} from {@code host}; false when refused as rate limited. */
  boolean reportFrom(String host, String value) {
    try (SecretValue v = SecretValue.ofString(value)) {
      t.vault.secrets().leakReports().report("req-flood", new InetSocketAddress(host, 443), v);
      return true;
    } catch (CofferException e) {
      assertEquals(Reason.LEAK_REPORT_RATE_LIMITED, e.reason());
      return false;
    }
  }

  @Test
  void addressesOfOneIpv4Slash24_shareABudget() {
    String unknown = unknownValue();
    long network = LeakReports.DEFAULT_PER_NETWORK_PER_MINUTE;
    for (int i = 0; i < network; i++) {
      assertTrue(reportFrom("198.51.100." + (i % 250 + 1), unknown), "report " + i);
    }
    assertFalse(reportFrom("198.51.100.251", unknown), "a fresh address of the same /24");
    assertFalse(reportFrom("::ffff:198.51.100.252", unknown), "the same /24, IPv4-mapped");
    assertTrue(reportFrom("198.51.101.1", unknown), "the next /24 has its own budget");
    t.clock.advance(Duration.ofMinutes(1));
    assertTrue(reportFrom("198.51.100.251", unknown), "refilled after a minute");
  }

  @Test
  void addressesOfOneIpv6Slash64_shareABudget() {
    String unknown = unknownValue();
    long network = LeakReports.DEFAULT_PER_NETWORK_PER_MINUTE;
    for (int i = 0; i < network; i++) {
      assertTrue(reportFrom("2001:db8:1:2::" + Integer.toHexString(i + 1), unknown),
          "report " + i);
    }
    assertFalse(reportFrom("2001:db8:1:2:ffff:1:2:3", unknown), "same /64");
    assertTrue(reportFrom("2001:db8:1:3::1", unknown), "the next /64 has its own budget");
  }

  @Test
  void missFlood_isWrittenOnlyWithinItsAllowance_andALaterRealReportStillQuarantines() {
    String unknown = unknownValue();
    long before = t.vault.kernel().audit().lastSequence();
    int flood = 0;
    for (int net = 0; net < 5; net++) {
      for (int host = 1; host <= LeakReports.DEFAULT_PER_NETWORK_PER_MINUTE / 4; host++) {
        assertTrue(reportFrom("203.0." + (113 + net) + "." + host, unknown),
            "every miss within the budgets is answered alike");
        flood++;
      }
    }
    assertTrue(flood > LeakReports.DEFAULT_MISSES_WRITTEN_PER_MINUTE);
    assertEquals(before + LeakReports.DEFAULT_MISSES_WRITTEN_PER_MINUTE,
        t.vault.kernel().audit().lastSequence(), "misses beyond the allowance are not written");
    String value;
    String id;
    try (SecretMinter.Minted m = create(false)) {
      value = m.value().reveal();
      id = m.stored().metadata().secretId();
    }
    assertTrue(reportFrom("192.0.2.7", value), "the real report is taken");
    assertEquals(SecretState.QUARANTINED, t.vault.secrets().secrets().get(alice, id)
        .stateAt(t.clock.instant()));
    assertEquals(1, leakEvents(admin).stream().filter(e -> e.outcome().equals("ALLOWED"))
        .count(), "the quarantine is written");
  }

  @Test
  void unquarantine_needsRotationFirst_thenTheOldValueServesItsOverlap() {
    String value;
    String id;
    try (SecretMinter.Minted m = create(false)) {
      value = m.value().reveal();
      id = m.stored().metadata().secretId();
    }
    report(value);
    CofferException early = assertThrows(CofferException.class,
        () -> t.vault.secrets().quarantine().unquarantine(alice, id, ""));
    assertEquals(Reason.ROTATION_REQUIRED, early.reason());
    CallContext bob = t.newPrincipal("default", "bob", false);
    t.vault.secrets().rotator().rotate(alice, id, Duration.ofDays(1), "").close();
    assertEquals(Reason.SECRET_NOT_FOUND, assertThrows(CofferException.class,
        () -> t.vault.secrets().quarantine().unquarantine(bob, id, "")).reason());
    var released = t.vault.secrets().quarantine().unquarantine(alice, id, "");
    assertEquals(SecretState.ACTIVE, released.stateAt(t.clock.instant()));
    try (SecretValue v = SecretValue.ofString(value)) {
      assertTrue(t.vault.secrets().verifier().verify(alice, app.clientId(), v).match());
    }
    assertEquals(Reason.NOT_QUARANTINED, assertThrows(CofferException.class,
        () -> t.vault.secrets().quarantine().unquarantine(admin, id, "")).reason());
    t.clock.advance(Duration.ofDays(1));
    try (SecretValue v = SecretValue.ofString(value)) {
      assertFalse(t.vault.secrets().verifier().verify(alice, app.clientId(), v).match());
    }
  }
}
