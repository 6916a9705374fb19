package dev.coffer.server;

import dev.coffer.api.v1.SecretServiceGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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

  static final Set<String> ON_TRANSPORT = Set.of(
      HealthGrpc.getCheckMethod().getFullMethodName(),
      SecretServiceGrpc.getVerifySecretMethod().getFullMethodName(),
      SecretServiceGrpc.getRevealSecretMethod().getFullMethodName(),
      SecretServiceGrpc.getCreateSecretMethod().getFullMethodName());

  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
    return ON_TRANSPORT.contains(call.getMethodDescriptor().getFullMethodName())
        ? null : blocking; // null: the server's executor, the transport thread
  }

  /** The pool for calls that may block, also for work a transport-thread call hands off. */
  Executor blocking() {
    return blocking;
  }

  /** Stops the pool's idle threads; call once the server has terminated. */
  @Override
  public void close() {
    blocking.shutdown();
  }
}
