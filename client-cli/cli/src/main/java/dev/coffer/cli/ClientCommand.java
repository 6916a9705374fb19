package dev.coffer.cli;

import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every command that calls the server: takes the {@link GlobalOptions}, runs local checks
 * first ({@link #checkLocally()}, before any connection), opens one {@link CofferClient}, lets the
 * leaf make its call and print through a {@link Printer}, and closes the client.
 *
 * <p>Security: a leaf never prints the token and prints a value only through the Printer's
 * shown-once or reveal paths. Errors are reported by {@link ErrorReporter}.
 */
abstract class ClientCommand implements Callable<Integer>, ContextAware {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  CliContext ctx;

  @Override
  public final void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public final Integer call() throws Exception {
    checkLocally();
    ClientConfig config = global.clientConfig(ctx);
    try (CofferClient client = ctx.connect(config)) {
      return run(client, new Printer(ctx.out(), ctx.err(), global.output()));
    } catch (StatusRuntimeException e) {
      String token = config.tokenSupplier().get();
      throw CallHints.explain(e, config.address(), token != null && !token.isBlank());
    }
  }

  /** Checks that need no server (files, required combinations); throw {@link #usage}. */
  protected void checkLocally() {}

  /** Makes the call and prints; returns the exit code. */
  protected abstract int run(CofferClient client, Printer printer) throws Exception;

  /** A usage error (exit 1) for this command. */
  protected ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Reads one value (a secret being checked or reported): at a terminal from a prompt with
   * echo off, else from the first line of stdin; stripped; a usage error with {@code missing}
   * when there is none. Never echoes it.
   */
  protected String valueFromStdin(String missing) {
    String value;
    try {
      String line = ctx.terminal()
          ? ctx.prompter().readHidden("Value (not echoed): ")
          : ctx.in().readLine();
      value = line == null ? "" : line.strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read stdin", e);
    }
    if (value.isEmpty()) {
      throw usage(missing);
    }
    return value;
  }

  /** Turns a bad id into a usage error. */
  protected String name(java.util.function.Function<String, String> builder, String id) {
    try {
      return builder.apply(id);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }
}
