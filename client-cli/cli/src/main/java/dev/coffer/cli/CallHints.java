package dev.coffer.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Turns the two failures a new user meets first into what to do: a server that cannot be
 * reached, and a call made without a token. Any other failure passes through unchanged, to be
 * reported once by {@link ErrorReporter}.
 *
 * <p>Security: the hints name the address and the variables to set, never a token.
 */
final class CallHints {

  private CallHints() {}

  /**
   * @param address the server address the call went to
   * @param hasToken whether a bearer token was configured
   * @return a {@link CliFailure} with guidance, or {@code e} itself
   */
  static RuntimeException explain(StatusRuntimeException e, String address, boolean hasToken) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.UNAVAILABLE && unreachable(e)) {
      return new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach Coffer at " + address
          + ": is the server running? set " + GlobalOptions.ENV_ADDR + " or --addr");
    }
    if (code == Status.Code.UNAUTHENTICATED && !hasToken) {
      return new CliFailure(ExitCodes.UNAUTHENTICATED, "no token: set "
          + GlobalOptions.ENV_TOKEN + " or --token-file, or run coffer login (the server said: "
          + e.getStatus().getDescription() + ")");
    }
    return e;
  }

  /** Whether the transport could not connect at all (refused, no route, unknown host). */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return true;
      }
    }
    String description = e instanceof StatusRuntimeException s
        ? s.getStatus().getDescription() : null;
    return description != null && (description.contains("Connection refused")
        || description.startsWith("Unable to resolve host"));
  }
}
