package dev.coffer.cli;

import dev.coffer.client.CofferErrors;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints every failure as {@code error: <message>} on stderr, without a stack trace, and picks the
 * exit code: 1 for usage errors, the {@link ExitCodes} of the gRPC status for failed calls.
 *
 * <p>Security: messages come from {@link CofferErrors} (server status only), from {@link
 * CliFailure} (written without values), or are an exception's class name; never a request.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message =
        ex instanceof UnmatchedArgumentException unmatched
            ? unmatched(unmatched.getUnmatched())
            : ex.getMessage();
    err.println("error: " + message);
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.print(cmd.getHelp().fullSynopsis());
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * Names unknown options but not the values that came with them or stray arguments: one could be
   * a secret pasted in the wrong place.
   */
  static String unmatched(List<String> args) {
    List<String> shown = new ArrayList<>();
    int hidden = 0;
    for (String arg : args) {
      if (arg.startsWith("-") && arg.length() > 1) {
        int eq = arg.indexOf('=');
        shown.add("'" + (eq < 0 ? arg : arg.substring(0, eq)) + "'");
      } else {
        hidden++;
      }
    }
    StringBuilder m = new StringBuilder("unknown option or extra argument");
    if (!shown.isEmpty()) {
      m.append(": ").append(String.join(", ", shown));
    }
    if (hidden > 0) {
      m.append(shown.isEmpty() ? ": " : " and ")
          .append(hidden)
          .append(hidden == 1 ? " argument" : " arguments")
          .append(" (not shown)");
    }
    return m.toString();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    int code;
    if (ex instanceof StatusRuntimeException || ex instanceof StatusException) {
      err.println("error: " + CofferErrors.describe(ex));
      code = ExitCodes.forStatus(CofferErrors.code(ex));
    } else if (ex instanceof CliFailure failure) {
      err.println("error: " + failure.getMessage());
      code = failure.exitCode();
    } else {
      err.println("error: unexpected " + ex.getClass().getName());
      code = ExitCodes.OTHER;
    }
    err.flush();
    return code;
  }
}
