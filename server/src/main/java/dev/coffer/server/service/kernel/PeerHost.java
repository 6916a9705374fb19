package dev.coffer.server.service.kernel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The key every per-peer budget is counted under: a peer's host address, whatever its port,
 * so that new connections from one host do not get new budgets. Used by the authentication
 * failure audit and the leak report budgets.
 *
 * <p>Security: the key is an address only; nothing a caller sends beyond its address reaches
 * here.
 */
public final class PeerHost {

  private PeerHost() {}

  /**
   * The host address of {@code peer}: its IP address as text for an internet address (the
   * host string if unresolved), {@code peer.toString()} for any other address (an in-process
   * transport), and the empty string for none.
   */
  public static String of(SocketAddress peer) {
    if (peer instanceof InetSocketAddress inet) {
      return inet.getAddress() != null ? inet.getAddress().getHostAddress()
          : inet.getHostString();
    }
    return peer == null ? "" : peer.toString();
  }
}
