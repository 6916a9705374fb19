package dev.coffer.server.cluster;

import java.util.EnumSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallExecutorSupplier;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;

/**
 * Where the Raft port's gRPC calls run. A follower's ReadIndex request (one per read round it
 * serves, thousands a second under read load) is answered on the transport thread that read it:
 * the leader's reply comes from its lease at once, or is a future it completes later, so the
 * handler never waits, and the hand-off to a pool thread and back cost more than the answer
 * (on the 2-core build machine the leader's CPU per round fell from about 170 µs to 110 µs).
 * Every other Raft call (log appends, snapshots, votes, client requests, administration) may
 * wait on a lock or a disk, so it runs on {@link #pool}, a cached pool like grpc-java's
 * default one.
 *
 * <p>grpc-java finds a call's method on the server's executor before it asks the supplier, so
 * the server's executor is the direct one and the supplier names the pool for the others.
 *
 * <p>Contract: install with {@code GrpcConfigKeys.Server.setServicesCustomizer} before the
 * server is built; {@link #close} once it has stopped. Security: it only chooses threads;
 * who may call the Raft port stays the transport's concern (mutual TLS outside {@code --dev}).
 */
final class RaftCallExecutors implements GrpcServices.Customizer, AutoCloseable {

  static final String READ_INDEX =
      RaftServerProtocolServiceGrpc.getReadIndexMethod().getFullMethodName();

  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool;

  RaftCallExecutors(String nodeId) {
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "coffer-raft-call-" + nodeId + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public NettyServerBuilder customize(NettyServerBuilder builder,
      EnumSet<GrpcServices.Type> types) {
    return builder.directExecutor().callExecutor(new ServerCallExecutorSupplier() {
      @Override
      public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
        return executorFor(call.getMethodDescriptor().getFullMethodName());
      }
    });
  }

  /** The executor for a call to {@code method}; null: the transport thread. */
  Executor executorFor(String method) {
    return READ_INDEX.equals(method) ? null : pool;
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
