package dev.coffer.cli;

import java.util.Optional;

/**
 * A listening address given as {@code HOST:PORT} for {@code coffer bench-baseline --listen} (the
 * last colon splits, so a bracketed IPv6 host works): a non-empty host and a port from 0 (any
 * free port) to 65535. The CLI's own parser, so the CLI does not depend on the server (issue 16);
 * it accepts exactly what the server's {@code --listen} accepts.
 */
record ListenAddress(String host, int port) {

  /** {@code text} as an address, or empty when it is not {@code HOST:PORT}. */
  static Optional<ListenAddress> parse(String text) {
    int colon = text.lastIndexOf(':');
    String port = colon <= 0 ? "" : text.substring(colon + 1);
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65_535) {
      return Optional.empty();
    }
    return Optional.of(new ListenAddress(text.substring(0, colon), Integer.parseInt(port)));
  }
}
