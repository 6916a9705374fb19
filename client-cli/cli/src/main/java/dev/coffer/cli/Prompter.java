package dev.coffer.cli;

/**
 * A question-and-answer channel with a person: a line reader and a line writer. The wizard talks
 * only to this, so tests script it.
 *
 * <p>Security: implementations must not echo or log what is read beyond the terminal itself.
 */
public interface Prompter {

  /** Shows {@code prompt} (no line end) and returns the line typed, or {@code null} at end of input. */
  String readLine(String prompt);

  /**
   * Shows {@code prompt} and returns the line typed without echoing it (a value being checked
   * or reported), or {@code null} at end of input.
   */
  String readHidden(String prompt);

  /** Shows one line. */
  void println(String line);
}
