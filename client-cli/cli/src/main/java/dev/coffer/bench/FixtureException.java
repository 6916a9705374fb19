package dev.coffer.bench;

/**
 * Preparing the bench data failed at one step; the cause is the failed call. Security: the
 * message names the step only; the cause carries the server's status, never a value.
 */
public final class FixtureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String hint;

  FixtureException(String step, RuntimeException cause, String hint) {
    super(step, cause);
    this.hint = hint;
  }

  /** What the person running the bench can do about it, or empty. */
  public String hint() {
    return hint;
  }

  /** What was being done, e.g. {@code create tenant bench-1a2b3c4d}. */
  public String step() {
    return getMessage();
  }

  /** The failed call (a {@code StatusRuntimeException}, as a rule). */
  public RuntimeException failure() {
    return (RuntimeException) getCause();
  }
}
