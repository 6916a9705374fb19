package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.server.cluster.NodeNotServingException;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The hot non-blocking calls stay on the transport thread; all others go to the pool. */
class CallExecutorsTest {

  private static <Q, A> Executor executorFor(CallExecutors executors,
      MethodDescriptor<Q, A> method) {
    return executorFor(executors, method, new AtomicReference<>());
  }

  private static <Q, A> Executor executorFor(CallExecutors executors,
      MethodDescriptor<Q, A> method, AtomicReference<Status> closed) {
    return executors.getExecutor(new ServerCall<Q, A>() {
      @Override
      public MethodDescriptor<Q, A> getMethodDescriptor() {
        return method;
      }

      @Override
      public void request(int numMessages) {}

      @Override
      public void sendHeaders(Metadata headers) {}

      @Override
      public void sendMessage(A message) {}

      @Override
      public void close(Status status, Metadata trailers) {
        closed.set(status);
      }

      @Override
      public boolean isCancelled() {
        return false;
      }
    }, new Metadata());
  }

  @Test
  void healthVerifyRevealAndCreate_runOnTheTransportThread() {
    try (CallExecutors executors = new CallExecutors()) {
      assertNull(executorFor(executors, HealthGrpc.getCheckMethod()));
      assertNull(executorFor(executors, SecretServiceGrpc.getVerifySecretMethod()));
      assertNull(executorFor(executors, SecretServiceGrpc.getRevealSecretMethod()));
      assertNull(executorFor(executors, SecretServiceGrpc.getCreateSecretMethod()));
    }
  }

  @Test
  void everyOtherCall_runsOnTheBlockingPool() throws Exception {
    try (CallExecutors executors = new CallExecutors()) {
      Executor listSecrets = executorFor(executors, SecretServiceGrpc.getListSecretsMethod());
      assertNotNull(listSecrets);
      assertSame(listSecrets, executorFor(executors, PrincipalServiceGrpc.getWhoAmIMethod()));
      assertSame(executors.blocking(), listSecrets);
      AtomicReference<String> thread = new AtomicReference<>();
      CountDownLatch ran = new CountDownLatch(1);
      listSecrets.execute(() -> {
        thread.set(Thread.currentThread().getName());
        ran.countDown();
      });
      assertTrue(ran.await(5, TimeUnit.SECONDS));
      assertTrue(thread.get().startsWith("coffer-call-"), thread.get());
    }
  }

  @Test
  void onAClusterNode_aBarrierPassedAtOnce_addsNoHandOff_toATransportThreadCall() {
    try (CallExecutors executors = new CallExecutors()) {
      executors.linearizable(() -> CompletableFuture.completedFuture(null));
      Executor verify = executorFor(executors, SecretServiceGrpc.getVerifySecretMethod());
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      verify.execute(() -> ranOn.set(Thread.currentThread()));
      assertSame(Thread.currentThread(), ranOn.get(), "the leader's case: as on a single node");
    }
  }

  @Test
  void onAClusterNode_aPendingBarrier_parksNoThread_andTheCallRunsOnceItPasses()
      throws Exception {
    try (CallExecutors executors = new CallExecutors()) {
      CompletableFuture<Void> barrier = new CompletableFuture<>();
      executors.linearizable(() -> barrier);
      Executor list = executorFor(executors, SecretServiceGrpc.getListSecretsMethod());
      CountDownLatch ran = new CountDownLatch(1);
      list.execute(ran::countDown);
      assertEquals(1, ran.getCount(), "nothing runs before the barrier");
      barrier.complete(null);
      assertTrue(ran.await(5, TimeUnit.SECONDS));
      CountDownLatch next = new CountDownLatch(1);
      list.execute(next::countDown); // later tasks of the call: no second barrier
      assertTrue(next.await(5, TimeUnit.SECONDS));
    }
  }

  /**
   * Through a follower a round releases dozens of calls at once: the transport-thread calls
   * continue on the fixed after-barrier pool (queued, run back to back), the others on the
   * blocking pool, as on a single node.
   */
  @Test
  void onAClusterNode_callsReleasedByALaterBarrier_continueOnTheAfterBarrierPool_orTheBlockingOne()
      throws Exception {
    try (CallExecutors executors = new CallExecutors()) {
      CompletableFuture<Void> barrier = new CompletableFuture<>();
      executors.linearizable(() -> barrier);
      List<AtomicReference<String>> verifies = new ArrayList<>();
      CountDownLatch ran = new CountDownLatch(41);
      for (int i = 0; i < 40; i++) {
        AtomicReference<String> thread = new AtomicReference<>();
        verifies.add(thread);
        executorFor(executors, SecretServiceGrpc.getVerifySecretMethod()).execute(() -> {
          thread.set(Thread.currentThread().getName());
          ran.countDown();
        });
      }
      AtomicReference<String> list = new AtomicReference<>();
      executorFor(executors, SecretServiceGrpc.getListSecretsMethod()).execute(() -> {
        list.set(Thread.currentThread().getName());
        ran.countDown();
      });
      barrier.complete(null);
      assertTrue(ran.await(5, TimeUnit.SECONDS));
      Set<String> threads = new HashSet<>();
      for (AtomicReference<String> v : verifies) {
        assertTrue(v.get().startsWith("coffer-after-barrier-"), v.get());
        threads.add(v.get());
      }
      assertTrue(threads.size() <= Math.max(2, Runtime.getRuntime().availableProcessors()),
          "one thread per core, not one per call: " + threads);
      assertTrue(list.get().startsWith("coffer-call-"), list.get());
    }
  }

  @Test
  void onAClusterNode_aFailedBarrier_closesTheCallUnavailable_andRunsNothing() throws Exception {
    Status closed = closedAfterFailedBarrier(new IllegalStateException("no leader"));
    assertEquals(Status.Code.UNAVAILABLE, closed.getCode());
  }

  @Test
  void onAClusterNode_aNodeThatDoesNotServe_saysWhyInTheUnavailableStatus() throws Exception {
    Status closed = closedAfterFailedBarrier(new NodeNotServingException("its clock is behind"));
    assertEquals(Status.Code.UNAVAILABLE, closed.getCode());
    assertEquals("this node does not serve now: its clock is behind", closed.getDescription());
  }

  /** How a reveal is closed when its barrier fails with {@code failure}; its handler never ran. */
  private Status closedAfterFailedBarrier(RuntimeException failure) throws Exception {
    try (CallExecutors executors = new CallExecutors()) {
      executors.linearizable(() -> CompletableFuture.failedFuture(failure));
      AtomicReference<Status> closed = new AtomicReference<>();
      Executor reveal = executorFor(executors, SecretServiceGrpc.getRevealSecretMethod(), closed);
      CountDownLatch ran = new CountDownLatch(1);
      reveal.execute(ran::countDown);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (closed.get() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, ran.getCount(), "the call's handler never ran");
      return closed.get();
    }
  }
}
