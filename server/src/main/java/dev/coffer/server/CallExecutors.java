package dev.coffer.server;

import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.server.cluster.NodeNotServingException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where each call's handler runs, chosen per method. The hot calls whose successful path
 * never waits for a disk sync run on the transport thread that read them, saving two
 * thread hand-offs and the parking of a pool thread: the health check (a map lookup),
 * {@code VerifySecret} (point reads and a MAC; only a failed match writes) and
 * {@code RevealSecret} (point reads and an envelope open, then its audit event is handed to
 * the audit log's writer thread and the response is sent when that is durable) and
 * {@code CreateSecret} (the same, for its one batch; a key pair is generated on
 * {@link #blocking} instead, RSA generation being slow). Their rare
 * refusals (a denial, a failed match, a bad token) still record synchronously; those are
 * rate limited or need a valid token. Every other call may wait on a synced write or scan
 * storage, so it runs on {@link #blocking}, an unbounded cached pool: a fixed pool would
 * cap how many writers can share one fsync.
 *
 * <p>On a cluster node ({@link #linearizable}), every call but the health check first waits,
 * without parking a thread, for a linearizable read barrier (Ratis ReadIndex, see
 * {@code ClusterNode#readBarrier}) before its first step (the interceptors, authentication
 * included) runs; a barrier passed at once (on the leader) adds no hand-off: whatever node a call reaches, it reads at least what the group had
 * committed when the call arrived, so a token revoked or a grant withdrawn anywhere is
 * honoured everywhere. A call whose barrier fails (no leader within
 * {@link #BARRIER_SECONDS}), or that the node refuses ({@link NodeNotServingException}: its
 * clock is behind its peers'), is closed UNAVAILABLE, saying why, and runs nothing.
 *
 * <p>The server itself is built with a direct executor, because grpc-java finds each call's
 * method on the server's executor before it asks this supplier: with a pool there, every
 * call (the transport-thread ones too) would pay a hand-off just to be routed.
 */
final class CallExecutors implements ServerCallExecutorSupplier, AutoCloseable {

  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "coffer-call-" + threads.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger readers = new AtomicInteger();
  private final ExecutorService afterBarrier = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "coffer-after-barrier-" + readers.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  static final Set<String> ON_TRANSPORT = Set.of(
      HealthGrpc.getCheckMethod().getFullMethodName(),
      SecretServiceGrpc.getVerifySecretMethod().getFullMethodName(),
      SecretServiceGrpc.getRevealSecretMethod().getFullMethodName(),
      SecretServiceGrpc.getCreateSecretMethod().getFullMethodName());

  static final long BARRIER_SECONDS = 10;
  private static final String HEALTH = HealthGrpc.getCheckMethod().getFullMethodName();

  private volatile Supplier<CompletableFuture<Void>> barrier; // null: a single node

  /** Makes every call but the health check wait for {@code barrier} first (a cluster node). */
  void linearizable(Supplier<CompletableFuture<Void>> barrier) {
    this.barrier = barrier;
  }

  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Supplier<CompletableFuture<Void>> reads = barrier;
    boolean onTransport = ON_TRANSPORT.contains(method);
    if (reads != null && !method.equals(HEALTH)) {
      return new AfterBarrier(call, reads, onTransport);
    }
    return onTransport ? null : blocking; // null: the server's executor, the transport thread
  }

  /**
   * One call's executor on a cluster node: its first task waits for a read barrier, without
   * parking a thread. When the barrier is already passed as the call arrives (on the leader,
   * whose lease answers at once), its tasks run where they would on a single node: on the
   * transport thread for the {@link #ON_TRANSPORT} methods, else on {@link #blocking}. When it
   * completes later (a follower asks the leader), the {@link #ON_TRANSPORT} calls continue on
   * {@link #afterBarrier}, a pool of one thread per core: the dozens of calls one round
   * releases queue there and run back to back, where the cached pool woke (or made) a thread
   * for each (measured through a follower: about 3.4 context switches per verify, 37 % of the
   * machine in the kernel); the others continue on {@link #blocking}.
   * grpc-java runs a call's tasks one at a time through this executor (it hands it one drain
   * of its serialising queue at a time), so no later task overtakes the first.
   */
  private final class AfterBarrier implements Executor {
    private final ServerCall<?, ?> call;
    private final Supplier<CompletableFuture<Void>> reads;
    private final boolean onTransport;
    private volatile boolean passed; // written only by the call's serialised tasks
    private volatile boolean refused;

    AfterBarrier(ServerCall<?, ?> call, Supplier<CompletableFuture<Void>> reads,
        boolean onTransport) {
      this.call = call;
      this.reads = reads;
      this.onTransport = onTransport;
    }

    @Override
    public void execute(Runnable task) {
      if (passed) {
        run(task);
        return;
      }
      if (refused) {
        return;
      }
      CompletableFuture<Void> barrier;
      try {
        barrier = reads.get();
      } catch (RuntimeException e) {
        barrier = CompletableFuture.failedFuture(e);
      }
      if (barrier.isDone() && !barrier.isCompletedExceptionally()) {
        passed = true;
        run(task);
        return;
      }
      barrier.copy().orTimeout(BARRIER_SECONDS, TimeUnit.SECONDS)
          .whenCompleteAsync((ok, failure) -> {
            if (failure != null) {
              refuse(failure);
            } else {
              passed = true;
              task.run(); // already on the pool chosen below
            }
          }, onTransport ? afterBarrier : blocking);
    }

    private void run(Runnable task) {
      if (onTransport) {
        task.run();
      } else {
        blocking.execute(task);
      }
    }

    private void refuse(Throwable failure) {
      refused = true;
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      String why = cause instanceof NodeNotServingException notServing
          ? "this node does not serve now: " + notServing.getMessage()
          : "this node cannot serve a consistent read now: its cluster has no leader it can "
              + "reach; try again shortly";
      call.close(Status.UNAVAILABLE.withDescription(why), new Metadata());
    }
  }

  /** The pool for calls that may block, also for work a transport-thread call hands off. */
  Executor blocking() {
    return blocking;
  }

  /** Stops the pool's idle threads; call once the server has terminated. */
  @Override
  public void close() {
    blocking.shutdown();
    afterBarrier.shutdown();
  }
}
