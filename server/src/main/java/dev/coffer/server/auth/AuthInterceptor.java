package dev.coffer.server.auth;

import dev.coffer.server.api.AuthContext;
import dev.coffer.server.api.ErrorMapper;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.operator.AuthFailureAudit;
import dev.coffer.server.service.directory.Tokens;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates every call by its bearer token ({@code authorization: Bearer cfr_at_...})
 * and puts the principal, a request id and the peer address in the gRPC {@link Context}.
 * Calls without a valid, unexpired, unrevoked token end with UNAUTHENTICATED before any
 * handler runs. Only the standard health and reflection services are open, so that gRPC
 * tooling works, the leak report method, which secret scanners call without an account,
 * and the two sign-in methods of identity federation ({@code LoginService}, which exchange a
 * trusted issuer's JWT for a token): they get a request id and the peer address in the
 * context but no principal, and limit or audit themselves ({@code LeakReports},
 * {@code FederatedLogin}). Every such refusal (missing, malformed, unknown, expired or revoked token)
 * goes to {@link AuthFailureAudit}, which records it as an AUTHENTICATE / FAILED event
 * within its per-peer rate limit. The token is never logged, echoed or recorded.
 *
 * <p>Mutual TLS: with a {@link CertificateIdentity} (server flag {@code --tls-client-ca}),
 * the TLS layer has already verified any client certificate against the client CA; the
 * certificate must then name an existing principal (see {@link CertificateIdentity} for the
 * SPIFFE, DNS and CN rules), else the call is UNAUTHENTICATED. Without a bearer token, the
 * call runs as that principal. With both, the token authenticates as usual and must stand
 * for the same principal as the certificate, else UNAUTHENTICATED. Without a certificate,
 * tokens work as before. Certificate refusals are recorded like token refusals.
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
  /** Coffer methods callable without a principal (full method names). */
  private static final Set<String> OPEN_METHODS = Set.of(
      "coffer.v1.LeakReportService/ReportLeak",
      "coffer.v1.LoginService/Login",
      "coffer.v1.LoginService/ListLoginIssuers");
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final String BEARER = "Bearer ";

  private final Tokens tokens;
  private final AuthFailureAudit failures;
  private final CertificateIdentity certificates; // null: client certificates are ignored

  /** @param certificates how client certificates map to principals; null to ignore them */
  public AuthInterceptor(Tokens tokens, AuthFailureAudit failures,
      CertificateIdentity certificates) {
    this.tokens = tokens;
    this.failures = failures;
    this.certificates = certificates;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String requestId = requestId(headers.get(REQUEST_ID));
    if (OPEN_METHODS.contains(call.getMethodDescriptor().getFullMethodName())) {
      return Contexts.interceptCall(Context.current()
          .withValue(AuthContext.REQUEST_ID, requestId)
          .withValue(AuthContext.PEER, peer(remote))
          .withValue(AuthContext.REMOTE, remote), call, headers, next);
    }
    Tokens.Authenticated auth;
    try {
      auth = authenticate(headers.get(AUTHORIZATION), peerCertificate(call), remote,
          requestId);
    } catch (RuntimeException e) {
      StatusRuntimeException status = ErrorMapper.toStatus(e);
      call.close(status.getStatus(), status.getTrailers() == null ? new Metadata()
          : status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current()
        .withValue(AuthContext.PRINCIPAL, auth.principal())
        .withValue(AuthContext.TOKEN_ID, auth.token() == null ? "" : auth.token().tokenId())
        .withValue(AuthContext.REQUEST_ID, requestId)
        .withValue(AuthContext.PEER, peer(remote))
        .withValue(AuthContext.REMOTE, remote);
    return Contexts.interceptCall(context, call, headers, next);
  }

  /** The caller, and its bearer token (null for a call authenticated by certificate only). */
  private Tokens.Authenticated authenticate(String authorization,
      X509Certificate certificate, SocketAddress remote, String requestId) {
    Principal byCertificate = certificate == null ? null
        : byCertificate(certificate, remote, requestId);
    if (byCertificate != null && (authorization == null || authorization.isEmpty())) {
      return new Tokens.Authenticated(byCertificate, null);
    }
    Tokens.Authenticated byToken = byToken(authorization, remote, requestId);
    if (byCertificate != null
        && !(byCertificate.tenantId().equals(byToken.principal().tenantId())
        && byCertificate.principalId().equals(byToken.principal().principalId()))) {
      failures.record(Reason.UNAUTHENTICATED, null, remote, requestId);
      throw new CofferException(Reason.UNAUTHENTICATED,
          "the bearer token and the client certificate stand for different principals");
    }
    return byToken;
  }

  private Principal byCertificate(X509Certificate certificate, SocketAddress remote,
      String requestId) {
    try {
      CertificateIdentity.Name name = certificates.principalOf(certificate);
      return tokens.authenticateCertificate(name.tenantId(), name.principalId());
    } catch (CofferException e) {
      failures.record(Reason.UNAUTHENTICATED, null, remote, requestId);
      throw e;
    }
  }

  /** The verified client certificate, or null (none, or client certificates not enabled). */
  private X509Certificate peerCertificate(ServerCall<?, ?> call) {
    if (certificates == null) {
      return null;
    }
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private Tokens.Authenticated byToken(String authorization, SocketAddress remote,
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
        return tokens.authenticateToken(token);
      } catch (CofferException e) {
        if (e.reason().kind() == Reason.Kind.UNAUTHENTICATED) {
          failures.record(e.reason(), token, remote, requestId);
        }
        throw e;
      }
    }
  }

  /**
   * The caller's request id when it is safe to log, else a random version-4 UUID. A request
   * id only correlates log lines and audit events, it grants nothing, so it comes from
   * {@link ThreadLocalRandom} rather than the contended SecureRandom of
   * {@link UUID#randomUUID}.
   */
  static String requestId(String given) {
    if (given != null && SAFE_REQUEST_ID.matcher(given).matches()) {
      return given;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
    return new UUID(high, low).toString();
  }

  private static String peer(SocketAddress address) {
    return address == null ? "" : address.toString();
  }
}
