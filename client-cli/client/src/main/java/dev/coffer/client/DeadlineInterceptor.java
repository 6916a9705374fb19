package dev.coffer.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call that has no deadline of its own a deadline of a fixed duration from its start.
 *
 * <p>Contract: a deadline already set on the stub or call options wins; retries of one call share
 * its single deadline; a call whose options carry {@link #UNBOUNDED} (long-lived streams such as
 * {@code WatchLifecycle}) gets none. Security: sees no message or header.
 */
public final class DeadlineInterceptor implements ClientInterceptor {

  /** Set to {@code true} on a stub ({@code withOption}) to opt its calls out of the default deadline. */
  public static final CallOptions.Key<Boolean> UNBOUNDED =
      CallOptions.Key.createWithDefault("coffer-unbounded", false);

  private final long nanos;

  public DeadlineInterceptor(Duration deadline) {
    if (deadline == null || deadline.isZero() || deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must be positive");
    }
    this.nanos = deadline.toNanos();
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    CallOptions options =
        callOptions.getDeadline() == null && !callOptions.getOption(UNBOUNDED)
            ? callOptions.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)
            : callOptions;
    return next.newCall(method, options);
  }
}
