package dev.coffer.cli;

import dev.coffer.bench.BaselineServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code coffer bench-baseline}: serves {@link BaselineServer}, a bare grpc-java health
 * service, so that {@code coffer bench --op health} can measure the transport's ceiling on
 * the same machine with the same client. Listens on loopback unless told otherwise.
 */
@Command(
    name = "bench-baseline",
    description = {
      "Serve a bare grpc-java server (only the gRPC health service, handlers on the transport"
          + " threads, no interceptors): the ceiling to compare Coffer's health check against.",
      "Measure it with: coffer bench --addr HOST:PORT --op health (no token needed).",
      "Runs until interrupted, or for --for."
    })
final class BenchBaselineCommand implements Callable<Integer>, ContextAware {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7444",
      description = "Where to listen (default: ${DEFAULT-VALUE}; port 0: any free port).")
  String listen;

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop after this long (e.g. 90s); default: run until interrupted.")
  Duration lifetime;

  private CliContext ctx;

  @Override
  public void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public Integer call() throws Exception {
    ListenAddress at = ListenAddress.parse(listen).orElseThrow(() -> new ParameterException(
        spec.commandLine(), "--listen must be HOST:PORT with a port 0-65535, not '" + listen
            + "'"));
    if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
      throw new ParameterException(spec.commandLine(), "--for must be positive");
    }
    try (BaselineServer server = BaselineServer.start(at.host(), at.port())) {
      ctx.err().println("bench-baseline: bare grpc-java health service listening on "
          + at.host() + ":" + server.port());
      ctx.err().flush();
      server.awaitTermination(lifetime == null ? Long.MAX_VALUE : lifetime.toMillis());
    }
    return ExitCodes.OK;
  }
}
