package dev.coffer.cli;

/**
 * A failure on the client's side (a file that exists, a file that could not be written) with the
 * exit code it should end the process with.
 *
 * <p>Security: the message is written for a person and must never hold a secret value or token.
 */
public final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
