package dev.coffer.server.api;

import dev.coffer.server.domain.CallDeadline;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.store.GuardedReads;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one unary handler: builds the {@link CallContext} from the authenticated gRPC
 * context, completes the observer with the result, and routes every failure through
 * {@link ErrorMapper}. {@link #runAsync} does the same for a handler that finishes later
 * (a read that waits for its audit write without holding a thread). Each handler runs with
 * the caller's deadline as its thread's {@link CallDeadline}, and with its reads guarding its
 * writes ({@link GuardedReads}).
 */
final class UnaryCalls {

  private UnaryCalls() {}

  static <T> void run(StreamObserver<T> out, Function<CallContext, T> handler) {
    T response;
    try {
      response = withinCallDeadline(() -> handler.apply(current()));
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  /**
   * As {@link #run}, for a handler whose result comes later: the observer is completed from
   * the thread that completes the stage. A handler may also throw at once.
   */
  static <T> void runAsync(StreamObserver<T> out,
      Function<CallContext, ? extends CompletionStage<T>> handler) {
    CompletionStage<T> pending;
    try {
      pending = withinCallDeadline(() -> handler.apply(current()));
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    pending.whenComplete((response, failure) -> {
      if (failure != null) {
        out.onError(ErrorMapper.toStatus(failure instanceof CompletionException
            && failure.getCause() != null ? failure.getCause() : failure));
        return;
      }
      out.onNext(response);
      out.onCompleted();
    });
  }

  /** Who calls an unauthenticated method: only its request id and address are known. */
  record Anonymous(String requestId, SocketAddress remote) {}

  /** As {@link #run}, for the methods the interceptor lets through without a principal. */
  static <T> void runAnonymous(StreamObserver<T> out, Function<Anonymous, T> handler) {
    T response;
    try {
      response = withinCallDeadline(() -> handler.apply(new Anonymous(
          AuthContext.REQUEST_ID.get(), AuthContext.REMOTE.get())));
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  /**
   * Runs {@code work} with the caller's gRPC deadline, if it set one, as the
   * {@link CallDeadline} of this thread: a write through the cluster is then neither proposed
   * nor taken by the leader once the caller has stopped waiting; and with its reads guarding
   * its writes ({@link GuardedReads}), so that on a cluster node a read-modify-write raced by
   * one on another node fails instead of overwriting it.
   */
  static <T> T withinCallDeadline(Supplier<T> work) {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return GuardedReads.within(work);
    }
    return CallDeadline.within(
        System.currentTimeMillis() + deadline.timeRemaining(TimeUnit.MILLISECONDS),
        () -> GuardedReads.within(work));
  }

  static CallContext current() {
    var principal = AuthContext.PRINCIPAL.get();
    if (principal == null) {
      throw new CofferException(Reason.UNAUTHENTICATED, "not authenticated");
    }
    return new CallContext(principal, AuthContext.REQUEST_ID.get(), AuthContext.PEER.get(),
        AuthContext.TOKEN_ID.get());
  }
}
