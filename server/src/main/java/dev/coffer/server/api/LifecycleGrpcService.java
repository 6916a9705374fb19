package dev.coffer.server.api;

import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.LifecycleEventType;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.service.lifecycle.LifecycleNotice;
import dev.coffer.server.service.lifecycle.LifecycleSubscription;
import dev.coffer.server.service.lifecycle.LifecycleWatch;
import dev.coffer.server.service.directory.Tokens;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gRPC adapter of the lifecycle bus: {@code WatchLifecycle} subscribes the caller and
 * streams, once each, the notices of its tenant it may see and asked for. Flow control is
 * honoured: a message is sent only while the call is ready, so a slow client lets its
 * bounded queue fill, and is then disconnected with RESOURCE_EXHAUSTED (WATCHER_TOO_SLOW)
 * rather than buffering without bound or slowing anyone else. A cancelled call (client
 * gone, deadline passed) unsubscribes at once; server shutdown ends every watch with
 * UNAVAILABLE (SHUTTING_DOWN). A watch follows its caller's credential: once the bearer token
 * it was opened with is revoked or expires, it ends with UNAUTHENTICATED (checked before each
 * delivery and every second).
 */
public final class LifecycleGrpcService extends LifecycleServiceGrpc.LifecycleServiceImplBase {

  private final LifecycleEvents events;
  private final Tokens tokens;

  /** @param tokens re-checks the watch's bearer token, so a revoked one ends the stream */
  public LifecycleGrpcService(LifecycleEvents events, Tokens tokens) {
    this.events = events;
    this.tokens = tokens;
  }

  @Override
  public void watchLifecycle(WatchLifecycleRequest req, StreamObserver<LifecycleEvent> out) {
    ServerCallStreamObserver<LifecycleEvent> call = (ServerCallStreamObserver<LifecycleEvent>) out;
    Stream stream = new Stream(call);
    try {
      CallContext ctx = UnaryCalls.current();
      LifecycleWatch watch = LifecycleWatch.of(req.getLeadTimeSecondsList(),
          req.getResourcesList());
      String tokenId = ctx.tokenId();
      stream.subscription = events.subscribe(ctx.caller(), watch, stream::signal,
          tokenId.isEmpty() ? LifecycleSubscription.CredentialCheck.NONE
              : () -> tokens.recheck(tokenId));
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    call.setOnCancelHandler(stream::cancel);
    call.setOnReadyHandler(stream::signal);
    stream.started = true;
    stream.signal();
  }

  static LifecycleEvent toProto(LifecycleNotice n) {
    LifecycleEvent.Builder b = LifecycleEvent.newBuilder()
        .setType(switch (n.type()) {
          case EXPIRY_WARNING -> LifecycleEventType.LIFECYCLE_EXPIRY_WARNING;
          case EXPIRED -> LifecycleEventType.LIFECYCLE_EXPIRED;
          case STATE_CHANGED -> LifecycleEventType.LIFECYCLE_STATE_CHANGED;
        })
        .setResource(n.resource())
        .setState(n.state())
        .setLeadTimeSeconds(n.leadTime().getSeconds())
        .setTime(ProtoMapper.timestamp(n.time()))
        .setSuccessor(n.successor());
    if (n.expireTime() != null) {
      b.setExpireTime(ProtoMapper.timestamp(n.expireTime()));
    }
    return b.build();
  }

  /**
   * One watch. Every observer call happens inside {@link #drain}, which the work-in-progress
   * counter runs on one thread at a time (the bus's dispatcher or gRPC's call executor),
   * never re-entrantly, as grpc-java requires of a {@link StreamObserver}.
   */
  private static final class Stream {
    private final ServerCallStreamObserver<LifecycleEvent> call;
    private final AtomicInteger wip = new AtomicInteger();
    volatile LifecycleSubscription subscription;
    volatile boolean started;
    private boolean done;

    Stream(ServerCallStreamObserver<LifecycleEvent> call) {
      this.call = call;
    }

    void signal() {
      if (!started || wip.getAndIncrement() != 0) {
        return;
      }
      do {
        drain();
      } while (wip.decrementAndGet() != 0);
    }

    void cancel() {
      subscription.close();
      signal();
    }

    private void drain() {
      if (done) {
        return;
      }
      if (call.isCancelled()) {
        done = true;
        subscription.close();
        return;
      }
      CofferException failure = subscription.failure();
      if (failure != null) {
        done = true;
        call.onError(ErrorMapper.toStatus(failure));
        return;
      }
      while (call.isReady()) {
        LifecycleNotice n = subscription.poll();
        if (n == null) {
          return;
        }
        call.onNext(toProto(n));
      }
    }
  }
}
