package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.LifecycleEventType;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.service.lifecycle.LifecycleNotice;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WatchLifecycle through the real interceptors on an in-process transport. */
class LifecycleGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  LifecycleEvents bus;
  CallContext alice;
  String aliceToken;
  String clientId;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    var v = coffer.vault.vault;
    CallContext system = coffer.vault.admin();
    alice = coffer.vault.as(v.directory().principals().create(system, "default", "alice",
        PrincipalKind.USER, false));
    v.directory().principals().create(system, "default", "sam", PrincipalKind.USER, false);
    v.directory().tenants().create(system, "acme", null);
    v.directory().principals().create(system, "acme", "olga", PrincipalKind.USER, true);
    aliceToken = coffer.vault.tokenFor("default", "alice");
    clientId = v.directory().applications().create(system, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    bus = v.lifecycle().events();
  }

  /** A client-side watch collecting what arrives, with how it ended. */
  static final class Watch implements ClientResponseObserver<WatchLifecycleRequest,
      LifecycleEvent> {
    final BlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    final int initialRequest;
    ClientCallStreamObserver<WatchLifecycleRequest> call;

    Watch(int initialRequest) {
      this.initialRequest = initialRequest;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchLifecycleRequest> c) {
      call = c;
      if (initialRequest >= 0) {
        c.disableAutoRequestWithInitial(initialRequest);
      }
    }

    @Override
    public void onNext(LifecycleEvent e) {
      events.add(e);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(t);
    }

    @Override
    public void onCompleted() {
      ended.complete(null);
    }

    LifecycleEvent next() throws InterruptedException {
      LifecycleEvent e = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "an event arrives");
      return e;
    }
  }

  Watch watch(String token, WatchLifecycleRequest req, int initialRequest) {
    int before = bus.subscriptionCount();
    Watch w = new Watch(initialRequest);
    LifecycleServiceGrpc.newStub(coffer.channel).withInterceptors(InProcessServer.bearer(token))
        .watchLifecycle(req, w);
    await(() -> bus.subscriptionCount() > before || w.ended.isDone());
    return w;
  }

  Watch watch(String token) {
    return watch(token, WatchLifecycleRequest.getDefaultInstance(), -1);
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  String secret(Instant expire, boolean shared) {
    return TestSecrets.create(coffer.vault.vault, alice, clientId, SecretRequest.builder()
        .displayName("s").expireTime(expire).location("/").vaulted(shared).sharingEnabled(shared)
        .build()).stored().metadata().secretId();
  }

  @Test
  void theOwnersWatch_receivesTheRotation_thenEachWarningOnce() throws Exception {
    Instant e = TestVault.START.plus(Duration.ofDays(40));
    String id = secret(e, false);
    Watch w = watch(aliceToken);
    var rotated = coffer.secrets(aliceToken).rotateSecret(RotateSecretRequest.newBuilder()
        .setName("secrets/" + id).build());
    LifecycleEvent change = w.next();
    assertEquals(LifecycleEventType.LIFECYCLE_STATE_CHANGED, change.getType());
    assertEquals("secrets/" + id, change.getResource());
    assertEquals("ROTATED", change.getState());
    assertEquals(rotated.getSecret().getName(), change.getSuccessor());
    Instant e2 = TestVault.START.plus(Duration.ofDays(40));
    coffer.vault.clock.set(e2.minus(Duration.ofDays(30)));
    coffer.vault.vault.lifecycle().monitor().tick();
    LifecycleEvent warning = w.next();
    assertEquals(LifecycleEventType.LIFECYCLE_EXPIRY_WARNING, warning.getType());
    assertEquals(rotated.getSecret().getName(), warning.getResource());
    assertEquals(Duration.ofDays(30).getSeconds(), warning.getLeadTimeSeconds());
    assertEquals(e2.getEpochSecond(), warning.getExpireTime().getSeconds());
    assertEquals(e2.minus(Duration.ofDays(30)).getEpochSecond(), warning.getTime().getSeconds());
    coffer.vault.vault.lifecycle().monitor().tick();
    bus.flush();
    assertNull(w.events.poll(200, TimeUnit.MILLISECONDS), "each event once");
  }

  @Test
  void aStrangerAndAnotherTenant_hearNothingOfANonSharedSecret() throws Exception {
    String id = secret(TestVault.START.plus(Duration.ofDays(40)), false);
    Watch owner = watch(aliceToken);
    Watch stranger = watch(coffer.vault.tokenFor("default", "sam"));
    Watch otherTenant = watch(coffer.vault.tokenFor("acme", "olga"));
    coffer.vault.vault.secrets().secrets().revoke(alice, id, "");
    assertEquals("REVOKED", owner.next().getState());
    bus.flush();
    assertNull(stranger.events.poll(100, TimeUnit.MILLISECONDS));
    assertNull(otherTenant.events.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  void badLeadTimesAndResources_areInvalidArgument_namingTheField() {
    var stub = LifecycleServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(aliceToken))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertInvalidField("lead_time_seconds", () -> stub.watchLifecycle(WatchLifecycleRequest
        .newBuilder().addLeadTimeSeconds(0).build()).hasNext());
    assertInvalidField("lead_time_seconds", () -> stub.watchLifecycle(WatchLifecycleRequest
        .newBuilder().addAllLeadTimeSeconds(List.of(1L, 2L, 3L, 4L, 5L, 6L)).build()).hasNext());
    assertInvalidField("resources", () -> stub.watchLifecycle(WatchLifecycleRequest
        .newBuilder().addResources("tokens/tok_1").build()).hasNext());
    assertEquals(0, bus.subscriptionCount());
  }

  @Test
  void withoutAToken_isUnauthenticated() {
    assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> LifecycleServiceGrpc
        .newBlockingStub(coffer.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .watchLifecycle(WatchLifecycleRequest.getDefaultInstance()).hasNext());
  }

  @Test
  void cancellingTheCall_unsubscribes() {
    Watch w = watch(aliceToken);
    assertEquals(1, bus.subscriptionCount());
    w.call.cancel("done watching", null);
    await(() -> bus.subscriptionCount() == 0);
  }

  @Test
  void aClientThatStopsReading_isDisconnected_withResourceExhausted() throws Exception {
    SecretMetadata m = coffer.vault.vault.secrets().secrets().get(alice,
        secret(TestVault.START.plus(Duration.ofDays(40)), false));
    Watch w = watch(aliceToken, WatchLifecycleRequest.getDefaultInstance(), 0);
    for (int i = 0; i <= LifecycleEvents.DEFAULT_QUEUE_CAPACITY; i++) {
      bus.publish(new LifecycleNotice(LifecycleNotice.Type.STATE_CHANGED, "default",
          "secrets/" + m.secretId(), "REVOKED", null, null, TestVault.START, "",
          new LifecycleNotice.Audience(LifecycleNotice.Audience.Kind.SECRET, m, "")));
    }
    Throwable t = w.ended.get(10, TimeUnit.SECONDS);
    assertTrue(t instanceof StatusRuntimeException, String.valueOf(t));
    StatusRuntimeException e = (StatusRuntimeException) t;
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertEquals("WATCHER_TOO_SLOW", GrpcAssertions.reason(e));
    assertEquals(0, bus.subscriptionCount());
  }

  @Test
  void stoppingTheServer_endsWatches_withUnavailable() throws Exception {
    Watch w = watch(aliceToken);
    coffer.stopServer(Duration.ofSeconds(5));
    Throwable t = w.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(t).getCode());
  }
}
