package dev.coffer.cli;

import dev.coffer.client.FakeCofferServer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real command tree with captured streams, scripted stdin, a chosen environment and,
 * when given, a {@link FakeCofferServer}; without one, any attempt to connect fails the test.
 */
final class CliHarness {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final Clock NOW_CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private final FakeCofferServer server;
  final Map<String, String> env = new HashMap<>(Map.of(GlobalOptions.ENV_TOKEN, "cfr_at_test"));
  String stdin = "";
  boolean terminal;
  Prompter prompter;
  /** Fixed, so relative times ({@code --for 8h}) are exact. */
  Clock clock = NOW_CLOCK;
  /** How the CLI pauses between polls; {@code null} for real sleeping. */
  CliContext.Sleeper sleeper;
  StringWriter out;
  StringWriter err;

  CliHarness(FakeCofferServer server) {
    this.server = server;
  }

  /** Runs {@code coffer args...}; returns the exit code. Output is in {@link #out()}/{@link #err()}. */
  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CliContext.Builder ctx =
        CliContext.builder()
            .out(new PrintWriter(out, true))
            .err(new PrintWriter(err, true))
            .in(new BufferedReader(new StringReader(stdin)))
            .env(env)
            .terminal(terminal)
            .clock(clock)
            .connector(
                config -> {
                  if (server == null) {
                    throw new AssertionError("this command must not connect to a server");
                  }
                  return server.connect(config);
                });
    if (prompter != null) {
      ctx.prompter(() -> prompter);
    }
    if (sleeper != null) {
      ctx.sleeper(sleeper);
    }
    return CofferCli.run(ctx.build(), args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
