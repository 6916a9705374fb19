package dev.coffer.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code coffer admin restore}: moved to the server's jar (issue 16), because it opens a data dir
 * with the server's storage, keyring and audit verifier and the CLI no longer carries the server.
 * Whatever its arguments, it prints one line naming the command to use instead and exits {@value
 * ExitCodes#USAGE}; it restores nothing. Kept, rather than removed, so that a runbook or script
 * still calling it gets that pointer instead of "unknown command".
 */
@Command(
    name = "restore",
    description = {
      "Moved to the server jar: java -jar coffer-server.jar restore --from DIR --data-dir NEW",
      "(--root-key URI | --dev-root-key FILE). This command only says so (exit 1)."
    })
final class AdminRestoreCommand implements Callable<Integer>, ContextAware {

  /** The one line printed on stderr. */
  static final String MOVED = "coffer: admin restore has moved to the server jar (it opens a "
      + "data dir offline): java -jar server/target/coffer-server.jar restore --from DIR "
      + "--data-dir NEW (--root-key URI | --dev-root-key FILE)";

  /** Any former arguments, accepted so that the pointer is printed whatever they were. */
  @Unmatched List<String> ignored;

  private CliContext ctx;

  @Override
  public void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public Integer call() {
    ctx.err().println(MOVED);
    ctx.err().flush();
    return ExitCodes.USAGE;
  }
}
