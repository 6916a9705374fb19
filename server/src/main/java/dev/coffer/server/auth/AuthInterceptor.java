package dev.coffer.server.auth;

import dev.coffer.server.api.ErrorMapper;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.TokenService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.net.SocketAddress;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Authenticates every call by its bearer token ({@code authorization: Bearer cfr_at_...})
 * and puts the principal, a request id and the peer address in the gRPC {@link Context}.
 * Calls without a valid, unexpired, unrevoked token end with UNAUTHENTICATED before any
 * handler runs. Only the standard health and reflection services are open, so that gRPC
 * tooling works. The token is never logged or echoed.
 */
public final class AuthInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Set<String> OPEN_SERVICES = Set.of(
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection");
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final String BEARER = "Bearer ";

  private final TokenService tokens;

  public AuthInterceptor(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    Principal principal;
    try {
      principal = authenticate(headers.get(AUTHORIZATION));
    } catch (RuntimeException e) {
      StatusRuntimeException status = ErrorMapper.toStatus(e);
      call.close(status.getStatus(), status.getTrailers() == null ? new Metadata()
          : status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current()
        .withValue(AuthContext.PRINCIPAL, principal)
        .withValue(AuthContext.REQUEST_ID, requestId(headers.get(REQUEST_ID)))
        .withValue(AuthContext.PEER, peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Principal authenticate(String authorization) {
    if (authorization == null || authorization.isEmpty()) {
      throw new CofferException(Reason.UNAUTHENTICATED,
          "missing bearer token: send 'authorization: Bearer <token>'");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new CofferException(Reason.UNAUTHENTICATED,
          "the authorization header must use the Bearer scheme");
    }
    try (SecretValue token = SecretValue.ofString(authorization.substring(BEARER.length()).trim())) {
      return tokens.authenticate(token);
    }
  }

  private static String requestId(String given) {
    return given != null && SAFE_REQUEST_ID.matcher(given).matches()
        ? given : UUID.randomUUID().toString();
  }

  private static String peer(SocketAddress address) {
    return address == null ? "" : address.toString();
  }
}
