package dev.coffer.cli;

import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a command may touch outside itself: standard streams, the environment, whether a person
 * sits at a terminal, how to prompt them, and how to connect to a server. {@link #system()} is the
 * real one; tests build their own. Security: holds no token or value itself.
 */
public final class CliContext {
  private final PrintWriter out;
  private final PrintWriter err;
  private final BufferedReader in;
  private final Map<String, String> env;
  private final boolean terminal;
  private final Supplier<Prompter> prompter;
  private final Function<ClientConfig, CofferClient> connector;
  private final Clock clock;
  private final Sleeper sleeper;

  /** Waits between polls ({@code coffer login --device}); tests pass one that only records. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(java.time.Duration duration) throws InterruptedException;
  }

  private CliContext(Builder b) {
    this.out = Objects.requireNonNull(b.out, "out");
    this.err = Objects.requireNonNull(b.err, "err");
    this.in = Objects.requireNonNull(b.in, "in");
    this.env = Map.copyOf(b.env);
    this.terminal = b.terminal;
    this.prompter = b.prompter != null ? b.prompter : () -> new StreamPrompter(in, err);
    this.connector = b.connector;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
  }

  /**
   * The process's streams and environment; prompts go to the console when there is one; clients
   * connect with {@code connector}.
   */
  public static CliContext system(Function<ClientConfig, CofferClient> connector) {
    Console console = System.console();
    Builder b =
        builder()
            .out(new PrintWriter(System.out, true, StandardCharsets.UTF_8))
            .err(new PrintWriter(System.err, true, StandardCharsets.UTF_8))
            .in(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            .env(System.getenv())
            .terminal(console != null)
            .connector(connector);
    if (console != null) {
      b.prompter(() -> new StreamPrompter(new BufferedReader(console.reader()), console.writer(),
          console));
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public BufferedReader in() {
    return in;
  }

  /** An environment variable, or {@code null}. */
  public String env(String name) {
    return env.get(name);
  }

  /** Whether stdin and stdout are a terminal (a person may be asked questions). */
  public boolean terminal() {
    return terminal;
  }

  public Prompter prompter() {
    return prompter.get();
  }

  public CofferClient connect(ClientConfig config) {
    return connector.apply(config);
  }

  /** The time that relative durations ({@code --for 8h}) start from. */
  public Clock clock() {
    return clock;
  }

  /** How the CLI waits between polls of a remote party. */
  public Sleeper sleeper() {
    return sleeper;
  }

  /** Builder of {@link CliContext}. */
  public static final class Builder {
    private PrintWriter out;
    private PrintWriter err;
    private BufferedReader in = new BufferedReader(new java.io.StringReader(""));
    private Map<String, String> env = Map.of();
    private boolean terminal;
    private Supplier<Prompter> prompter;
    private Function<ClientConfig, CofferClient> connector = CofferClient::create;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public Builder out(PrintWriter out) {
      this.out = out;
      return this;
    }

    public Builder err(PrintWriter err) {
      this.err = err;
      return this;
    }

    public Builder in(BufferedReader in) {
      this.in = in;
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    public Builder terminal(boolean terminal) {
      this.terminal = terminal;
      return this;
    }

    public Builder prompter(Supplier<Prompter> prompter) {
      this.prompter = prompter;
      return this;
    }

    public Builder connector(Function<ClientConfig, CofferClient> connector) {
      this.connector = connector;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public CliContext build() {
      return new CliContext(this);
    }
  }
}
