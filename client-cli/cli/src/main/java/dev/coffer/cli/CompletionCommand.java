package dev.coffer.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coffer completion}: prints a bash completion script (picocli's AutoComplete). */
@Command(
    name = "completion",
    description = "Print a bash completion script: source <(coffer completion).")
final class CompletionCommand implements Runnable, ContextAware {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private CliContext ctx;

  @Override
  public void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public void run() {
    ctx.out().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    ctx.out().flush();
  }
}
