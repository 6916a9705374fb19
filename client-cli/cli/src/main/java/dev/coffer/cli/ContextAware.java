package dev.coffer.cli;

/** A command that needs the {@link CliContext}; the CLI's picocli factory hands it over. */
interface ContextAware {
  void context(CliContext context);
}
