package dev.coffer.cli;

import dev.coffer.client.ClientConfig;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
 * default value in {@code --help}. When none is given, the session {@code coffer login} kept
 * ({@link SessionFile}) is used, for the server address it was issued by only.
 *
 * <p>Mutual TLS: {@code --cert} and {@code --key} (or {@code $COFFER_CERT} and {@code
 * $COFFER_KEY}) add a client certificate to the TLS connection; they need {@code --ca} or
 * {@code --tls}. The server maps the certificate to a principal, so the token becomes optional
 * (if both are given, the server requires them to name the same principal).
 */
public final class GlobalOptions {
  public static final String ENV_ADDR = "COFFER_ADDR";
  public static final String ENV_TOKEN = "COFFER_TOKEN";
  public static final String ENV_CA = "COFFER_CA";
  public static final String ENV_CERT = "COFFER_CERT";
  public static final String ENV_KEY = "COFFER_KEY";

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
      names = "--ca",
      paramLabel = "FILE",
      description = "Use TLS and trust the CA certificate(s) in FILE, PEM (default: $" + ENV_CA
          + ").")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "Client certificate chain, PEM, for mutual TLS (with --key; needs --ca or"
          + " --tls; default: $" + ENV_CERT + "). The token is then optional.")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Private key of --cert, PEM PKCS#8 (default: $" + ENV_KEY + ").")
  Path key;

  @Option(
      names = "--tls",
      description = "Use TLS and trust the system's CA certificates.")
  boolean tls;

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
  public ClientConfig clientConfig(CliContext ctx) {
    return clientConfig(ctx, target(ctx));
  }

  /**
   * The client configuration for {@code target} instead of {@code --addr}, with the same
   * rules: plaintext only to a loopback address, and a session's token only for the server
   * that issued it.
   */
  public ClientConfig clientConfig(CliContext ctx, String target) {
    String given = resolveToken(ctx);
    String bearer = given != null && !given.isBlank() ? given
        : SessionFile.of(ctx).bearerFor(target, ctx.clock().instant());
    return ClientConfig.builder()
        .address(target)
        .deadline(timeout)
        .tokenSupplier(() -> bearer)
        .channelCredentials(transport(ctx, target))
        .build();
  }

  /** The server address: {@code --addr}, else {@code $COFFER_ADDR}, else the default. */
  public String target(CliContext ctx) {
    String address = addr != null ? addr : ctx.env(ENV_ADDR);
    return address == null || address.isBlank() ? ClientConfig.DEFAULT_ADDRESS : address;
  }

  /**
   * TLS when {@code --ca}, {@code $COFFER_CA} or {@code --tls} is given; otherwise plaintext,
   * which is refused for anything but a loopback address so a token never crosses a network
   * in the clear.
   */
  private ChannelCredentials transport(CliContext ctx, String target) {
    Path caFile = ca != null ? ca : envPath(ctx, ENV_CA);
    Path certFile = cert != null ? cert : envPath(ctx, ENV_CERT);
    Path keyFile = key != null ? key : envPath(ctx, ENV_KEY);
    if ((certFile == null) != (keyFile == null)) {
      throw new ParameterException(mixee.commandLine(), "give --cert and --key together (or $"
          + ENV_CERT + " and $" + ENV_KEY + ")");
    }
    if (certFile != null && caFile == null && !tls) {
      throw new ParameterException(mixee.commandLine(), "--cert and --key need TLS: give --ca"
          + " FILE (or $" + ENV_CA + ") or --tls");
    }
    if (caFile != null || tls) {
      TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
      if (caFile != null) {
        try {
          builder.trustManager(caFile.toFile());
        } catch (IOException | RuntimeException e) {
          throw new ParameterException(mixee.commandLine(),
              "cannot read the CA file " + caFile + " (" + e.getClass().getSimpleName() + ")");
        }
      }
      if (certFile != null) {
        try {
          builder.keyManager(certFile.toFile(), keyFile.toFile());
        } catch (IOException | RuntimeException e) {
          throw new ParameterException(mixee.commandLine(), "cannot read the client"
              + " certificate " + certFile + " or key " + keyFile + " ("
              + e.getClass().getSimpleName() + ")");
        }
      }
      return builder.build();
    }
    if (!isLoopback(target)) {
      throw new ParameterException(mixee.commandLine(), "refusing to send a token in plaintext"
          + " to " + target + ": give --ca FILE (or $" + ENV_CA + ") or --tls");
    }
    return InsecureChannelCredentials.create();
  }

  private static Path envPath(CliContext ctx, String name) {
    return Optional.ofNullable(ctx.env(name)).filter(v -> !v.isBlank()).map(Path::of)
        .orElse(null);
  }

  private static boolean isLoopback(String target) {
    int colon = target.lastIndexOf(':');
    String host = (colon > 0 ? target.substring(0, colon) : target).replace("[", "")
        .replace("]", "");
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
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
