package dev.coffer.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A picocli mixin for commands that read a secret value from a file or stdin and take no
 * argument: it catches stray arguments so picocli never echoes them in a usage error, since one
 * could be the value typed on the command line. Security: {@link #refuse} names no argument.
 */
final class StrayArguments {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Parameters(hidden = true, arity = "0..*")
  List<String> stray;

  /** A usage error saying {@code message} if any argument was given; else nothing. */
  void refuse(String message) {
    if (stray != null && !stray.isEmpty()) {
      throw new ParameterException(mixee.commandLine(), message);
    }
  }
}
