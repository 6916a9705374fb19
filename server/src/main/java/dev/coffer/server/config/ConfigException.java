package dev.coffer.server.config;

/**
 * A configuration the server refuses: the message names the flag and says what to give
 * instead. Reported on stderr with exit code 2. Messages name files and flags, never the
 * contents of a key or token.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
