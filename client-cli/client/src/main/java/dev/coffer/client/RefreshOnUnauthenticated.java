package dev.coffer.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells {@link TokenFileCredentials} when the server refused the Coffer token a call carried
 * ({@code UNAUTHENTICATED}), so the next call exchanges the JWT again at once instead of waiting
 * for the refresh time. Calls with other credentials (a plain bearer token, the Login call itself)
 * pass through untouched.
 *
 * <p>Contract: the failing call itself still fails; it is not repeated (it may not be safe to).
 * Security: sees the status code only, never a header or message.
 */
final class RefreshOnUnauthenticated implements ClientInterceptor {

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    if (!(callOptions.getCredentials() instanceof TokenFileCredentials credentials)) {
      return next.newCall(method, callOptions);
    }
    AtomicLong used = new AtomicLong(-1);
    ClientCall<ReqT, RespT> call =
        next.newCall(method, callOptions.withOption(TokenFileCredentials.USED_GENERATION, used));
    return new SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(new SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            if (status.getCode() == Status.Code.UNAUTHENTICATED && used.get() >= 0) {
              credentials.refused(used.get());
            }
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }
}
