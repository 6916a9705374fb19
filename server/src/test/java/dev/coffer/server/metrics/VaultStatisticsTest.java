package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.BackgroundJobs;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.TestVault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The statistics job over a real RocksDB vault with a clock moved by hand. */
class VaultStatisticsTest {

  static final Instant START = TestVault.START;
  static final Duration DAY = Duration.ofDays(1);

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.vaultOnly().build();
  TestVault t;
  CallContext admin;
  CallContext alice;
  CallContext bob;
  String clientId;
  MeterRegistry registry;
  VaultStatistics statistics;

  @BeforeEach
  void setUp() {
    t = fixture.vault();
    admin = t.admin();
    alice = t.newPrincipal("default", "alice", false);
    bob = t.newPrincipal("default", "bob", false);
    clientId = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    registry = new SimpleMeterRegistry();
    statistics = new VaultStatistics(t.vault.storage().store(), t.clock, registry,
        Duration.ofSeconds(30), VaultStatistics.DEFAULT_RECORDS_PER_RUN);
  }

  String secret(Instant expires, boolean vaulted) {
    return TestSecrets.create(t.vault, alice, clientId, SecretRequest.builder().displayName("s")
        .expireTime(expires).location("/").vaulted(vaulted).sharingEnabled(vaulted).build())
        .stored().metadata().secretId();
  }

  double gauge(String name, String... tags) {
    RequiredSearch search = registry.get(name).tags(tags);
    return search.gauge().value();
  }

  @Test
  void countsSecretsByState_andExpiringWindows_toTheSecond() {
    secret(START.plus(DAY).plus(DAY), false);            // a: 1 day left at START+1d
    secret(START.plus(DAY).plus(Duration.ofDays(7)), false);  // b: 7 days left
    secret(START.plus(DAY).plus(Duration.ofDays(30)), true);  // c: 30 days left
    secret(START.plus(Duration.ofDays(365)), false);     // d: far away
    t.vault.secrets().secrets().revoke(alice, secret(START.plus(Duration.ofDays(5)), false), "");
    secret(START.plus(Duration.ofHours(1)), false);      // expired by then

    t.clock.set(START.plus(DAY).minusSeconds(1));
    StatisticsSnapshot before = statistics.refresh();
    TenantFigures f = before.tenant("default");
    assertEquals(4, f.secrets(SecretState.ACTIVE));
    assertEquals(1, f.secrets(SecretState.EXPIRED));
    assertEquals(1, f.secrets(SecretState.REVOKED));
    assertEquals(0, f.expiringWithin(ExpiryWindow.ONE_DAY), "a is 1 day + 1 s away");
    assertEquals(1, f.expiringWithin(ExpiryWindow.SEVEN_DAYS));
    assertEquals(2, f.expiringWithin(ExpiryWindow.THIRTY_DAYS));

    t.clock.set(START.plus(DAY));
    f = statistics.refresh().tenant("default");
    assertEquals(1, f.expiringWithin(ExpiryWindow.ONE_DAY), "exactly 1 day left counts");
    assertEquals(2, f.expiringWithin(ExpiryWindow.SEVEN_DAYS));
    assertEquals(3, f.expiringWithin(ExpiryWindow.THIRTY_DAYS));

    assertEquals(4, gauge("coffer.secrets", "tenant", "default", "state", "ACTIVE"));
    assertEquals(1, gauge("coffer.secrets", "tenant", "default", "state", "EXPIRED"));
    assertEquals(1, gauge("coffer.secrets", "tenant", "default", "state", "REVOKED"));
    assertEquals(1, gauge("coffer.secrets.expiring", "tenant", "default", "within", "1d"));
    assertEquals(2, gauge("coffer.secrets.expiring", "tenant", "default", "within", "7d"));
    assertEquals(3, gauge("coffer.secrets.expiring", "tenant", "default", "within", "30d"));
    assertEquals(86_400, gauge("coffer.secrets.next.expiry"));
    t.clock.advance(Duration.ofSeconds(10));
    assertEquals(86_390, gauge("coffer.secrets.next.expiry"), "computed at scrape time");
    assertEquals(START.plus(DAY).getEpochSecond(),
        gauge("coffer.statistics.last.sweep.timestamp"));
  }

  @Test
  void nextExpiry_isAbsentWithoutExpiringSecrets_andNeverNegative() {
    statistics.refresh();
    assertTrue(registry.find("coffer.secrets.next.expiry").gauges().isEmpty());
    assertEquals(0, gauge("coffer.secrets", "tenant", "default", "state", "ACTIVE"));

    secret(START.plusSeconds(60), false);
    statistics.refresh();
    assertEquals(60, gauge("coffer.secrets.next.expiry"));
    t.clock.advance(Duration.ofSeconds(90)); // expired since the sweep
    assertEquals(0, gauge("coffer.secrets.next.expiry"));
    statistics.refresh();
    assertTrue(registry.find("coffer.secrets.next.expiry").gauges().isEmpty());
  }

  @Test
  void secretReplacedByRotation_isNotExpiring_itsSuccessorIs() {
    String old = secret(START.plus(Duration.ofDays(20)), false);
    t.vault.secrets().rotator().rotate(alice, old, Duration.ofDays(3), "");

    TenantFigures f = statistics.refresh().tenant("default");

    assertEquals(2, f.secrets(SecretState.ACTIVE), "the old one is valid for the overlap");
    assertEquals(0, f.expiringWithin(ExpiryWindow.SEVEN_DAYS), "its expiry is planned");
    assertEquals(1, f.expiringWithin(ExpiryWindow.THIRTY_DAYS), "the successor: 20 days");
  }

  @Test
  void countsActiveGrants_andPendingRequests_toTheSecond() {
    String shared = secret(START.plus(Duration.ofDays(365)), true);
    t.vault.sharing().grants().create(alice, shared, "bob", START.plus(DAY));         // active
    t.vault.sharing().grants().create(alice, shared, "bob", START.plusSeconds(10));  // expires soon
    Grant revoked = t.vault.sharing().grants().create(alice, shared, "bob", START.plus(DAY));
    t.vault.sharing().grants().revoke(alice, revoked.grantId(), "");
    AccessRequest pending = t.vault.sharing().accessRequests().create(bob, shared, "incident 1",
        Duration.ofHours(8));
    t.vault.sharing().accessRequests().cancel(bob, t.vault.sharing().accessRequests().create(bob,
        shared, "incident 2", Duration.ofHours(8)).requestId(), "");

    TenantFigures f = statistics.refresh().tenant("default");
    assertEquals(2, f.activeGrants());
    assertEquals(1, f.pendingRequests());
    assertEquals(2, gauge("coffer.grants.active", "tenant", "default"));
    assertEquals(1, gauge("coffer.access.requests.pending", "tenant", "default"));

    t.clock.set(START.plusSeconds(10));
    assertEquals(1, statistics.refresh().tenant("default").activeGrants(), "expired to the s");

    t.clock.set(pending.decideDeadline().minusSeconds(1));
    assertEquals(1, statistics.refresh().tenant("default").pendingRequests());
    t.clock.set(pending.decideDeadline());
    assertEquals(0, statistics.refresh().tenant("default").pendingRequests(), "undecided: "
        + "expired");
  }

  @Test
  void figuresAreKeptPerTenant() {
    t.vault.directory().tenants().create(admin, "acme", TenantPolicy.defaults());
    CallContext carol = t.newPrincipal("acme", "carol", true);
    String acmeApp = t.vault.directory().applications().create(carol, "orders_api", "production",
        null, OAuthFlow.AUTHORIZATION_CODE, "carol").application().clientId();
    TestSecrets.create(t.vault, carol, acmeApp, SecretRequest.builder().displayName("s")
        .location("/").build());
    TestSecrets.create(t.vault, carol, acmeApp, SecretRequest.builder().displayName("s")
        .location("/").build());
    secret(null, false);

    StatisticsSnapshot s = statistics.refresh();

    assertEquals(2, s.tenant("acme").secrets(SecretState.ACTIVE));
    assertEquals(1, s.tenant("default").secrets(SecretState.ACTIVE));
    assertEquals(2, gauge("coffer.secrets", "tenant", "acme", "state", "ACTIVE"));
    assertEquals(0, gauge("coffer.grants.active", "tenant", "acme"));
  }

  @Test
  void boundedRuns_publishOnlyCompleteSweeps() {
    for (int i = 0; i < 12; i++) {
      secret(START.plus(Duration.ofDays(2)), false);
    }
    VaultStatistics small = new VaultStatistics(t.vault.storage().store(), t.clock,
        new SimpleMeterRegistry(), Duration.ofSeconds(30), 5);
    int runs = 1;
    while (!small.runOnce()) {
      assertEquals(Optional.empty(), small.latest(), "nothing published mid-sweep");
      runs++;
      assertTrue(runs < 100, "the sweep never ended");
    }
    assertTrue(runs >= 3, "12 secrets at 5 records a run take several runs: " + runs);
    TenantFigures f = small.latest().orElseThrow().tenant("default");
    assertEquals(12, f.secrets(SecretState.ACTIVE));
    assertEquals(12, f.expiringWithin(ExpiryWindow.SEVEN_DAYS));
    assertEquals(f, statistics.refresh().tenant("default"), "same figures as one big run");
  }

  @Test
  void failedRun_isCounted_andTheNextRunStartsOver() {
    statistics.refresh();
    t.close(); // the store is closed: reads fail

    assertThrows(RuntimeException.class, statistics::runOnce);

    assertEquals(1, registry.get("coffer.statistics.sweeps").tag("result", "failure").counter()
        .count());
    assertEquals(1, registry.get("coffer.statistics.sweeps").tag("result", "complete").counter()
        .count());
    assertFalse(statistics.latest().isEmpty(), "the last good figures stay published");
  }

  @Test
  void scheduledRuns_publishWithoutBeingAsked() throws InterruptedException {
    secret(null, false);
    VaultStatistics scheduled = new VaultStatistics(t.vault.storage().store(), t.clock,
        new SimpleMeterRegistry(), Duration.ofMillis(50), 1000);
    BackgroundJobs jobs = new BackgroundJobs().register(scheduled.job());
    jobs.start();
    try {
      for (int i = 0; i < 200 && scheduled.latest().isEmpty(); i++) {
        Thread.sleep(25);
      }
      assertEquals(1, scheduled.latest().orElseThrow().tenant("default")
          .secrets(SecretState.ACTIVE));
    } finally {
      jobs.stop();
    }
  }
}
