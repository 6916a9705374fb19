package dev.coffer.server.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.SecretHolders;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The bus: bounded queues, slow subscribers cut off, limits, shutdown, watch validation. */
class LifecycleEventsTest {

  @TempDir Path dir;
  TestVault t;
  CallContext alice;
  SecretMetadata secret;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    CallContext admin = t.admin();
    alice = t.newPrincipal("default", "alice", false);
    String clientId = t.vault.directory().applications().create(admin, "payments_api", "production",
        null, OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    secret = TestSecrets.create(t.vault, alice, clientId, SecretRequest.builder().displayName("s")
        .location("/").build()).stored().metadata();
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  LifecycleNotice change(int i) {
    return LifecycleNotice.secretChanged(secret, "REVOKED", "", TestVault.START.plusSeconds(i));
  }

  @Test
  void aSubscriberThatDoesNotKeepUp_isDisconnected_whileThePublisherNeverWaits() {
    LifecycleEvents bus = new LifecycleEvents(new SecretHolders(
        new ApplicationRepository(t.vault.storage().store()), new ScopeRepository(t.vault.storage()
            .store())),
        new AccessPolicy(), 4);
    try {
      AtomicInteger signals = new AtomicInteger();
      LifecycleSubscription slow = bus.subscribe(alice.caller(), LifecycleWatch.everything(),
          signals::incrementAndGet);
      List<LifecycleNotice> fastGot = Collections.synchronizedList(new ArrayList<>());
      LifecycleSubscription[] fast = new LifecycleSubscription[1];
      fast[0] = bus.subscribe(alice.caller(), LifecycleWatch.everything(), () -> {
        for (LifecycleNotice n = fast[0].poll(); n != null; n = fast[0].poll()) {
          fastGot.add(n);
        }
      });
      long started = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        bus.publish(change(i));
      }
      assertTrue(System.nanoTime() - started < 1_000_000_000L, "publishing does not wait");
      bus.flush();
      assertEquals(50, fastGot.size());
      assertNull(fast[0].failure());
      assertEquals(Reason.WATCHER_TOO_SLOW, slow.failure().reason());
      assertTrue(slow.isClosed());
      assertEquals(1, bus.subscriptionCount());
      assertEquals(5, signals.get(), "4 queued, then the failure");
    } finally {
      bus.close();
    }
  }

  @Test
  void eachPrincipal_holdsAtMostEightWatches() {
    LifecycleEvents bus = t.vault.lifecycle().events();
    List<LifecycleSubscription> subs = new ArrayList<>();
    for (int i = 0; i < LifecycleEvents.MAX_PER_PRINCIPAL; i++) {
      subs.add(bus.subscribe(alice.caller(), LifecycleWatch.everything(), () -> { }));
    }
    CofferException e = assertThrows(CofferException.class,
        () -> bus.subscribe(alice.caller(), LifecycleWatch.everything(), () -> { }));
    assertEquals(Reason.WATCH_LIMIT, e.reason());
    subs.get(0).close();
    subs.get(0).close();
    bus.subscribe(alice.caller(), LifecycleWatch.everything(), () -> { }).close();
    assertEquals(LifecycleEvents.MAX_PER_PRINCIPAL - 1, bus.subscriptionCount());
  }

  @Test
  void close_endsEveryWatch_asShuttingDown_andRefusesNewOnes() {
    LifecycleEvents bus = t.vault.lifecycle().events();
    LifecycleSubscription s = bus.subscribe(alice.caller(), LifecycleWatch.everything(),
        () -> { });
    bus.close();
    assertEquals(Reason.SHUTTING_DOWN, s.failure().reason());
    assertEquals(0, bus.subscriptionCount());
    assertEquals(Reason.SHUTTING_DOWN, assertThrows(CofferException.class,
        () -> bus.subscribe(alice.caller(), LifecycleWatch.everything(), () -> { })).reason());
    bus.publish(change(1));
  }

  @Test
  void leadTimes_areOneSecondTo400Days_atMostFive_defaulting() {
    assertEquals(Set.of(Duration.ofSeconds(1), Duration.ofDays(400)),
        LifecycleWatch.of(List.of(1L, 34_560_000L, 1L), List.of()).leadTimes());
    assertEquals(Set.copyOf(LifecycleWatch.DEFAULT_LEAD_TIMES),
        LifecycleWatch.of(List.of(), List.of()).leadTimes());
    assertInvalid("lead_time_seconds", () -> LifecycleWatch.of(List.of(0L), List.of()));
    assertInvalid("lead_time_seconds", () -> LifecycleWatch.of(List.of(-5L), List.of()));
    assertInvalid("lead_time_seconds",
        () -> LifecycleWatch.of(List.of(34_560_001L), List.of()));
    assertInvalid("lead_time_seconds",
        () -> LifecycleWatch.of(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of()));
  }

  @Test
  void resources_mustBeSecretGrantOrRequestNames() {
    assertEquals(Set.of("secrets/sec_1", "grants/grt_1", "accessRequests/req_1"),
        LifecycleWatch.of(List.of(), List.of("secrets/sec_1", "grants/grt_1",
            "accessRequests/req_1")).resources());
    for (String bad : List.of("", "sec_1", "secrets/", "secrets/a/b", "tokens/tok_1",
        "secrets/a b", "applications/x")) {
      assertInvalid("resources", () -> LifecycleWatch.of(List.of(), List.of(bad)));
    }
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= LifecycleWatch.MAX_RESOURCES; i++) {
      many.add("secrets/s" + i);
    }
    assertInvalid("resources", () -> LifecycleWatch.of(List.of(), many));
  }

  static void assertInvalid(String field, Executable call) {
    CofferException e = assertThrows(CofferException.class, call);
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals(field, e.violations().get(0).field());
  }
}
