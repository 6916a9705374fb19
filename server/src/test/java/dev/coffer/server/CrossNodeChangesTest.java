package dev.coffer.server;

import static dev.coffer.server.testing.LocalVaultCluster.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.GuardedReads;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestSecrets;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-modify-write that a single node serialises with a lock in its own process (deciding an
 * access request, revoking or deleting a secret, creating a uniquely named application) run on
 * two nodes of a cluster at once: exactly one wins, on every node, and the other is told
 * CONCURRENT_CHANGE or the refusal the winner's change causes. Without the write's guard both
 * would read the same state and both commit, the later one overwriting the earlier (a request
 * recorded as denied whose approval's grant stands; a deleted secret written back). The races
 * run at the vault level inside a guarded record, as the gRPC edge runs a call, and once over
 * gRPC through two servers; a server on a cluster node runs each background job run guarded too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossNodeChangesTest {

  private static final int ROUNDS = 8;

  @TempDir static Path dir;
  LocalVaultCluster cluster;
  int a;
  int b;
  String clientId;
  String secretId;
  String adminToken;
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  void start() {
    cluster = LocalVaultCluster.start(dir, 3);
    Vault first = cluster.vault(0);
    try (var issued = first.directory().bootstrap().bootstrapIfEmpty().orElseThrow().value()) {
      adminToken = issued.reveal();
    }
    CallContext admin = as(first, "admin");
    first.directory().principals().create(admin, "default", "alice", PrincipalKind.USER, false);
    first.directory().principals().create(admin, "default", "bob", PrincipalKind.USER, false);
    first.directory().principals().create(admin, "default", "carol", PrincipalKind.USER, false);
    clientId = first.directory().applications().create(admin, "payments_api",
        "production", null, OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    secretId = TestSecrets.create(first, as(first, "alice"), clientId, SecretRequest.builder()
        .displayName("db").location("/").vaulted(true).sharingEnabled(true).build())
        .stored().metadata().secretId();
    a = cluster.awaitLeader();
    b = cluster.aFollower();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    cluster.close();
  }

  /** Runs {@code onA} on node a and {@code onB} on node b at once; null for a refusal. */
  private <T> List<T> race(Function<Vault, T> onA, Function<Vault, T> onB,
      Set<Reason> loserReasons) {
    cluster.awaitCaughtUpWith(a); // both read the same state, as the vault-level calls read locally
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<T>> racers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Vault vault = cluster.vault(i == 0 ? a : b);
      Function<Vault, T> call = i == 0 ? onA : onB;
      racers.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          return GuardedReads.within(() -> call.apply(vault)); // as the gRPC edge runs a call
        } catch (CofferException e) {
          assertTrue(loserReasons.contains(e.reason()), e.reason() + ": " + e.getMessage());
          return null;
        } catch (InterruptedException e) {
          throw new CompletionException(e);
        }
      }));
    }
    go.countDown();
    List<T> outcomes = new ArrayList<>();
    racers.forEach(r -> outcomes.add(r.join()));
    cluster.awaitCaughtUpWith(a);
    cluster.awaitCaughtUpWith(b);
    return outcomes;
  }

  private static int winners(List<?> outcomes) {
    return (int) outcomes.stream().filter(o -> o != null).count();
  }

  @Test
  void anAccessRequestApprovedOnOneNodeAndDeniedOnAnother_isDecidedOnce_everywhere() {
    for (int round = 0; round < ROUNDS; round++) {
      String requestId = cluster.vault(a).sharing().accessRequests().create(
          as(cluster.vault(a), "bob"), secretId, "incident " + round, Duration.ofHours(1))
          .requestId();
      List<AccessRequest> outcomes = race(
          v -> v.sharing().accessRequests().approve(as(v, "alice"), requestId, ""),
          v -> v.sharing().accessRequests().deny(as(v, "alice"), requestId, "no", ""),
          Set.of(Reason.CONCURRENT_CHANGE, Reason.REQUEST_NOT_PENDING));
      assertEquals(1, winners(outcomes), "round " + round + ": " + outcomes);
      boolean approved = outcomes.get(0) != null;
      for (int i = 0; i < cluster.size(); i++) {
        Vault v = cluster.vault(i);
        AccessRequest stored = v.sharing().accessRequests().get(as(v, "alice"), requestId);
        assertEquals(approved ? AccessRequest.Status.APPROVED : AccessRequest.Status.DENIED,
            stored.status(), "node " + i + ", round " + round);
        long grants = v.sharing().grants().list(as(v, "bob"), "", "", 100).items().stream()
            .map(Grant::accessRequestId).filter(requestId::equals).count();
        assertEquals(approved ? 1 : 0, grants, "node " + i + ", round " + round);
      }
    }
  }

  @Test
  void aSecretDeletedOnOneNodeAndRevokedOnAnother_staysDeleted_whenTheDeletionWins() {
    for (int round = 0; round < ROUNDS; round++) {
      String id = TestSecrets.create(cluster.vault(a), as(cluster.vault(a), "alice"), clientId,
          SecretRequest.builder().displayName("s" + round).location("/").vaulted(true).build())
          .stored().metadata().secretId();
      List<String> outcomes = race(
          v -> {
            v.secrets().secrets().delete(as(v, "alice"), id, "");
            return "deleted";
          },
          v -> v.secrets().secrets().revoke(as(v, "alice"), id, "").secretId(),
          Set.of(Reason.CONCURRENT_CHANGE, Reason.SECRET_NOT_FOUND));
      assertEquals(1, winners(outcomes), "round " + round + ": " + outcomes);
      boolean deleted = outcomes.get(0) != null;
      for (int i = 0; i < cluster.size(); i++) {
        Vault v = cluster.vault(i);
        if (deleted) {
          CofferException e = assertThrows(CofferException.class,
              () -> v.secrets().secrets().get(as(v, "alice"), id));
          assertEquals(Reason.SECRET_NOT_FOUND, e.reason(), "node " + i + ", round " + round);
        } else {
          assertNotNull(v.secrets().secrets().get(as(v, "alice"), id).revokeTime(),
              "node " + i + ", round " + round);
        }
      }
    }
  }

  @Test
  void oneApplicationNameTakenOnTwoNodesAtOnce_isTakenOnce() {
    for (int round = 0; round < ROUNDS; round++) {
      String name = "orders_" + round;
      List<String> outcomes = race(
          v -> v.directory().applications().create(as(v, "admin"), name, "production", null,
              OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId(),
          v -> v.directory().applications().create(as(v, "admin"), name, "production", null,
              OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId(),
          Set.of(Reason.CONCURRENT_CHANGE, Reason.ALREADY_EXISTS));
      assertEquals(1, winners(outcomes), "round " + round + ": " + outcomes);
      for (int i = 0; i < cluster.size(); i++) {
        Vault v = cluster.vault(i);
        long named = v.directory().applications().list(as(v, "admin"), "", 1000).items()
            .stream().filter(app -> app.clientName().equals(name)).count();
        assertEquals(1, named, "node " + i + ", round " + round);
      }
    }
  }

  @Test
  void aUsersTokenReissuedOnTwoNodesAtOnce_leavesOneValidToken_evenWhenItHeldNone() {
    for (int round = 0; round < ROUNDS; round++) {
      List<String> outcomes = race(
          v -> issueForCarol(v), v -> issueForCarol(v), Set.of(Reason.CONCURRENT_CHANGE));
      assertEquals(1, winners(outcomes), "round " + round + ": " + outcomes);
      String winner = outcomes.get(0) != null ? outcomes.get(0) : outcomes.get(1);
      for (int i = 0; i < cluster.size(); i++) {
        Vault v = cluster.vault(i);
        List<String> valid = v.directory().tokens().list(as(v, "admin"), "default", "carol", "",
            1000).items().stream().filter(t -> !t.isRevoked()).map(t -> t.tokenId()).toList();
        assertEquals(List.of(winner), valid, "node " + i + ", round " + round);
      }
    }
  }

  private static String issueForCarol(Vault v) {
    Tokens.Issued issued = v.directory().tokens().issue(as(v, "admin"), "default", "carol",
        null, "reset");
    issued.value().close();
    return issued.token().tokenId();
  }

  /** A server over node {@code i} (in-process transport), closed with the class. */
  private ManagedChannel serve(int i) throws Exception {
    return serve(i, null);
  }

  private ManagedChannel serve(int i, BackgroundJob job) throws Exception {
    String name = InProcessServerBuilder.generateName();
    CofferServer.Builder builder = CofferServer.builder(cluster.vault(i))
        .transport(InProcessServerBuilder.forName(name)).clock(cluster.clock());
    if (job != null) {
      builder.addBackgroundJob(job);
    }
    CofferServer server = builder.build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    closing.add(() -> {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop(Duration.ofSeconds(1));
    });
    return channel;
  }

  @Test
  void overGrpc_oneApplicationNameTakenThroughTwoNodesAtOnce_isTakenOnce() throws Exception {
    List<ApplicationServiceGrpc.ApplicationServiceBlockingStub> stubs = new ArrayList<>();
    for (int node : new int[] {a, b}) {
      stubs.add(ApplicationServiceGrpc.newBlockingStub(serve(node))
          .withInterceptors(InProcessServer.bearer(adminToken)));
    }
    for (int round = 0; round < ROUNDS; round++) {
      CreateApplicationRequest request = CreateApplicationRequest.newBuilder()
          .setClientName("ledger_" + round).setEnvironment("production").build();
      List<String> outcomes = race(
          v -> created(stubs.get(0), request), v -> created(stubs.get(1), request), Set.of());
      assertEquals(1, winners(outcomes), "round " + round + ": " + outcomes);
    }
  }

  /** The new application's id, or null when the call was refused as the race's loser. */
  private static String created(ApplicationServiceGrpc.ApplicationServiceBlockingStub stub,
      CreateApplicationRequest request) {
    try {
      return stub.withDeadlineAfter(30, TimeUnit.SECONDS).createApplication(request)
          .getApplication().getClientId();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      assertTrue(code == Status.Code.ABORTED || code == Status.Code.ALREADY_EXISTS,
          e.getStatus().toString());
      return null;
    }
  }

  @Test
  void onAClusterNode_eachRunOfABackgroundJob_hasItsReadsGuardingItsWrites() throws Exception {
    CompletableFuture<Boolean> guarded = new CompletableFuture<>();
    serve(b, BackgroundJob.onEveryNode("guard-probe", Duration.ZERO, Duration.ofMillis(50),
        () -> guarded.complete(GuardedReads.active())));
    assertTrue(guarded.get(30, TimeUnit.SECONDS));
  }
}
