package dev.coffer.cli;

import java.util.Locale;

/**
 * A yes/no question before a call that cannot be undone (rotate, delete): only {@code y} or
 * {@code yes} confirms; anything else, or the end of input, declines.
 */
final class Confirmation {

  private Confirmation() {}

  static boolean ask(CliContext ctx, String question) {
    String line = ctx.prompter().readLine(question + " [y/N]: ");
    String answer = line == null ? "" : line.strip().toLowerCase(Locale.ROOT);
    return answer.equals("y") || answer.equals("yes");
  }
}
