package dev.coffer.server.auth;

import dev.coffer.server.api.ErrorMapper;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.AuthFailureAudit;
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
 * tooling works. Every such refusal (missing, malformed, unknown, expired or revoked token)
 * goes to {@link AuthFailureAudit}, which records it as an AUTHENTICATE / FAILED event
 * within its per-peer rate limit. The token is never logged, echoed or recorded.
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
  private final AuthFailureAudit failures;

  public AuthInterceptor(TokenService tokens, AuthFailureAudit failures) {
    this.tokens = tokens;
    this.failures = failures;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String requestId = requestId(headers.get(REQUEST_ID));
    Principal principal;
    try {
      principal = authenticate(headers.get(AUTHORIZATION), remote, requestId);
    } catch (RuntimeException e) {
      StatusRuntimeException status = ErrorMapper.toStatus(e);
      call.close(status.getStatus(), status.getTrailers() == null ? new Metadata()
          : status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current()
        .withValue(AuthContext.PRINCIPAL, principal)
        .withValue(AuthContext.REQUEST_ID, requestId)
        .withValue(AuthContext.PEER, peer(remote));
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Principal authenticate(String authorization, SocketAddress remote,
      String requestId) {
    if (authorization == null || authorization.isEmpty()) {
      failures.record(Reason.UNAUTHENTICATED, null, remote, requestId);
      throw new CofferException(Reason.UNAUTHENTICATED,
          "missing bearer token: send 'authorization: Bearer <token>'");
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      failures.record(Reason.UNAUTHENTICATED, null, remote, requestId);
      throw new CofferException(Reason.UNAUTHENTICATED,
          "the authorization header must use the Bearer scheme");
    }
    try (SecretValue token = SecretValue.ofString(authorization.substring(BEARER.length()).trim())) {
      try {
        return tokens.authenticate(token);
      } catch (CofferException e) {
        if (e.reason().kind() == Reason.Kind.UNAUTHENTICATED) {
          failures.record(e.reason(), token, remote, requestId);
        }
        throw e;
      }
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
