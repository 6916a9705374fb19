package dev.coffer.cli;

import dev.coffer.client.CofferClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command takes (a picocli mixin): where the server is, how to authenticate,
 * the output format and the deadline.
 *
 * <p>Security: the token is read from {@code --token}, {@code $COFFER_TOKEN} or {@code
 * --token-file} and handed to the client as a supplier; it is never printed, not even as a
 * default value in {@code --help}.
 */
public final class GlobalOptions {
  public static final String ENV_ADDR = "COFFER_ADDR";
  public static final String ENV_TOKEN = "COFFER_TOKEN";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--addr",
      paramLabel = "HOST:PORT",
      description = "Server address (default: $" + ENV_ADDR + ", else 127.0.0.1:7443).")
  String addr;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      showDefaultValue = Visibility.NEVER,
      description =
          "Bearer token (default: $" + ENV_TOKEN + "). Prefer the variable or --token-file:"
              + " a value on the command line shows in ps.")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the bearer token from FILE (trimmed).")
  Path tokenFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Printer.Format output;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Deadline of each call, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  public Printer.Format output() {
    return output;
  }

  /** The client configuration; a usage error if the token options conflict or the file is unreadable. */
  public CofferClient.Config clientConfig(CliContext ctx) {
    String address = addr != null ? addr : ctx.env(ENV_ADDR);
    String bearer = resolveToken(ctx);
    return CofferClient.Config.builder()
        .address(address == null || address.isBlank() ? CofferClient.Config.DEFAULT_ADDRESS : address)
        .deadline(timeout)
        .tokenSupplier(() -> bearer)
        .build();
  }

  private String resolveToken(CliContext ctx) {
    if (token != null && tokenFile != null) {
      throw new ParameterException(mixee.commandLine(), "give --token or --token-file, not both");
    }
    if (tokenFile != null) {
      try {
        String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (t.isEmpty()) {
          throw new ParameterException(mixee.commandLine(), "--token-file " + tokenFile + " is empty");
        }
        return t;
      } catch (IOException e) {
        throw new ParameterException(
            mixee.commandLine(),
            "cannot read --token-file " + tokenFile + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return token != null ? token.strip() : ctx.env(ENV_TOKEN);
  }
}
