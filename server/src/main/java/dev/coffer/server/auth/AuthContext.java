package dev.coffer.server.auth;

import dev.coffer.server.domain.Principal;
import io.grpc.Context;
import java.net.SocketAddress;

/**
 * The gRPC {@link Context} keys under which {@link AuthInterceptor} places the
 * authenticated principal and the request's correlation data.
 */
public final class AuthContext {

  public static final Context.Key<Principal> PRINCIPAL = Context.key("coffer-principal");
  /**
   * The id ({@code tok_…}) of the bearer token the call authenticated with; absent for a
   * mutual-TLS caller without a token and for unauthenticated methods. Never the value.
   */
  public static final Context.Key<String> TOKEN_ID = Context.key("coffer-token-id");
  public static final Context.Key<String> REQUEST_ID = Context.key("coffer-request-id");
  public static final Context.Key<String> PEER = Context.key("coffer-peer");
  /** The caller's transport address (for per-peer limits of unauthenticated methods). */
  public static final Context.Key<SocketAddress> REMOTE = Context.key("coffer-remote");

  private AuthContext() {}
}
