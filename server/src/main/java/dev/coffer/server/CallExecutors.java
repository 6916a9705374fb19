package dev.coffer.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Where each call's handler runs, chosen per method. Calls that never block (the health
 * check: a map lookup) run on the transport thread that read them, saving two thread
 * hand-offs. Every other call may wait on a synced write (each audited action commits
 * through group commit) or on storage, so it runs on the server's default executor, an
 * unbounded cached pool: a fixed pool would cap how many writers can share one fsync.
 */
final class CallExecutors implements ServerCallExecutorSupplier {

  private static final Executor TRANSPORT_THREAD = Runnable::run;
  static final Set<String> ON_TRANSPORT = Set.of(HealthGrpc.getCheckMethod().getFullMethodName());

  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
    return ON_TRANSPORT.contains(call.getMethodDescriptor().getFullMethodName())
        ? TRANSPORT_THREAD : null; // null: the server's default executor
  }
}
