package dev.coffer.server.api;

import dev.coffer.server.domain.Principal;
import io.grpc.Context;
import java.net.SocketAddress;

/**
 * The call context: the gRPC {@link Context} keys under which the authentication interceptor
 * ({@code auth.AuthInterceptor}) places the authenticated principal and the request's
 * correlation data, and from which the adapters of this package read them. The keys live here,
 * beside the adapters, so that {@code auth} depends on {@code api} and never the reverse.
 *
 * <p>Security: no key ever holds a credential; a bearer token is present only by its id.
 */
public final class AuthContext {

  public static final Context.Key<Principal> PRINCIPAL = Context.key("coffer-principal");
  public static final Context.Key<String> REQUEST_ID = Context.key("coffer-request-id");
  public static final Context.Key<String> PEER = Context.key("coffer-peer");
  /** The id (never the value) of the bearer token that authenticated the call; absent for mTLS. */
  public static final Context.Key<String> TOKEN_ID = Context.key("coffer-token-id");
  /** The caller's transport address (for per-peer limits of unauthenticated methods). */
  public static final Context.Key<SocketAddress> REMOTE = Context.key("coffer-remote");

  private AuthContext() {}
}
