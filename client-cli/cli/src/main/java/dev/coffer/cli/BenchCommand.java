package dev.coffer.cli;

import dev.coffer.bench.BenchData;
import dev.coffer.bench.BenchFixture;
import dev.coffer.bench.BenchPlan;
import dev.coffer.bench.BenchReport;
import dev.coffer.bench.Cleanup;
import dev.coffer.bench.ClosedLoopRunner;
import dev.coffer.bench.FixtureException;
import dev.coffer.bench.LatencyRecorder;
import dev.coffer.bench.Mix;
import dev.coffer.bench.OpResult;
import dev.coffer.bench.Operation;
import dev.coffer.bench.PhaseResult;
import dev.coffer.bench.ProgressLine;
import dev.coffer.bench.Workload;
import dev.coffer.bench.Workloads;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import dev.coffer.client.CofferErrors;
import io.grpc.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code coffer bench}: closed-loop load against a running server, like {@code
 * vault-benchmark} or {@code redis-benchmark}. It prepares its own data ({@link BenchFixture},
 * which needs the system administrator's token), measures each phase (a warm-up, then a
 * bounded window) with {@link ClosedLoopRunner}, prints per operation ops/s, p50/p99/p99.9 and
 * errors by status code with the ratio to {@code health} measured in the same run, and cleans
 * up. Exit 0 when every measured call succeeded, {@link ExitCodes#BENCH_ERRORS} when some
 * failed (the report is printed in full either way), a call's exit code when the data cannot
 * be prepared. With {@code --spread} the connections go round robin over the nodes of a
 * cluster, each under the same transport and token rules as {@code --addr}.
 *
 * <p>Security: values and tokens of the prepared data stay in memory; the report has counts,
 * times and status codes only.
 */
@Command(
    name = "bench",
    description = {
      "Measure the server under closed-loop load: N concurrent calls over M connections.",
      "Prepares a tenant of its own (bench-<random>; needs the system administrator's token),"
          + " measures each phase (warm-up, then --duration or --max-ops), prints ops/s,"
          + " p50/p99/p99.9 latency, errors by status code and the ratio to the health check"
          + " measured in the same run, then deletes its secrets and grants and revokes its"
          + " tokens. The tenant, its 2 principals and its applications stay: Coffer cannot"
          + " delete those.",
      "Exit 0: no call failed; exit 6: some calls failed (see ERRORS)."
    })
final class BenchCommand extends ClientCommand {

  @Option(names = "--op", paramLabel = "OP", converter = OperationConverter.class,
      description = "An operation to measure in a phase of its own: health, verify, reveal,"
          + " create, list. Repeatable; default: all five.")
  List<Operation> ops = new ArrayList<>();

  @Option(names = "--mix", paramLabel = "OP=WEIGHT[,OP=WEIGHT...]", converter = MixConverter.class,
      description = "A phase issuing several operations by weight, e.g. reveal=90,create=10."
          + " Repeatable.")
  List<Mix> mixes = new ArrayList<>();

  @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "64",
      description = "Calls in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--channels", paramLabel = "M",
      description = "Connections the calls are spread over (default: 4, at most --concurrency).")
  Integer channels;

  @Option(names = "--spread", paramLabel = "HOST:PORT", split = ",",
      description = "Other nodes of a cluster: the connections go round robin to --addr and"
          + " these, as clients behind a load balancer spread over a cluster (default --channels"
          + " then: 4 or more, a multiple of the nodes). The data is prepared through --addr.")
  List<String> spread = new ArrayList<>();

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "5s",
      converter = WindowConverter.class,
      description = "Warm-up of each phase, not reported, e.g. 500ms, 5s, 0 (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "20s",
      converter = WindowConverter.class,
      description = "Measured window of each phase (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--max-ops", paramLabel = "N", defaultValue = "10000000",
      description = "At most N calls in each window, the warm-up and the measured one"
          + " (default: ${DEFAULT-VALUE}).")
  long maxOps;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "1",
      description = "Run the phases in turn R times, each window --duration/R (later warm-ups"
          + " --warmup/R), and merge each phase's windows: on a machine whose speed drifts,"
          + " every phase and its ratio to health see the same drift (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--apps", paramLabel = "N", defaultValue = "8",
      description = "Applications to prepare; their secrets are verified (default: ${DEFAULT-VALUE}).")
  int apps;

  @Option(names = "--secrets", paramLabel = "N", defaultValue = "1000",
      description = "Vaulted, shared secrets to prepare in one application, listed 100 a page;"
          + " the first 256 are revealed through grants (default: ${DEFAULT-VALUE}).")
  int secrets;

  @Option(names = "--keep-data",
      description = "Leave the secrets and grants in place (tokens are revoked all the same).")
  boolean keepData;

  @Option(names = "--health-baseline", negatable = true, defaultValue = "true",
      fallbackValue = "true",
      description = "Measure health first, for the ratios (default: on; --no-health-baseline).")
  boolean healthBaseline;

  private BenchPlan plan;
  /** Each {@code --spread} node's configuration, checked before any call. */
  private List<ClientConfig> spreadConfigs;

  @Override
  protected void checkLocally() {
    if (spread.stream().anyMatch(a -> !a.matches("[^\\s,]+:\\d{1,5}"))) {
      throw usage("--spread takes HOST:PORT[,HOST:PORT...]");
    }
    // The same rules as --addr's (plaintext only to loopback), checked before any call.
    spreadConfigs = new ArrayList<>();
    for (String node : spread) {
      spreadConfigs.add(global.clientConfig(ctx, node).toBuilder().retries(false).build());
    }
    int nodes = 1 + spread.size();
    int m = channels != null ? channels
        : Math.min(Math.max(1, concurrency), roundUp(Math.max(4, nodes), nodes));
    if (!spread.isEmpty() && m < nodes) {
      throw usage("--channels " + m + " is fewer than the " + nodes + " nodes of --addr and"
          + " --spread: every node needs a connection (and --channels is at most -c)");
    }
    try {
      plan = new BenchPlan(BenchPlan.phases(ops, mixes, healthBaseline), concurrency, m,
          warmup, duration, maxOps, apps, secrets, keepData, rounds);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  @Override
  protected int run(CofferClient admin, Printer printer) throws Exception {
    ProgressLine progress = new ProgressLine(ctx.err(), ExportProgress.stderrIsTerminal(ctx));
    ClientConfig benchConfig = global.clientConfig(ctx).toBuilder().retries(false).build();
    // --addr, then each --spread node: connection i goes to node i mod n.
    List<ClientConfig> nodeConfigs = new ArrayList<>(List.of(benchConfig));
    nodeConfigs.addAll(spreadConfigs);
    BenchFixture fixture = new BenchFixture(admin, plan, progress, ctx.clock());
    List<CofferClient> connections = new ArrayList<>();
    List<PhaseResult> results = new ArrayList<>();
    Cleanup cleanup;
    try {
      BenchData data = fixture.prepare();
      for (int i = 0; i < plan.channels(); i++) {
        connections.add(ctx.connect(nodeConfigs.get(i % nodeConfigs.size())));
      }
      List<Channel> channels = connections.stream().map(CofferClient::channel).toList();
      results.addAll(measure(Workloads.create(plan.operations(), channels, data,
          plan.concurrency()), benchConfig.deadline(), progress));
    } catch (FixtureException e) {
      throw new CliFailure(ExitCodes.forStatus(CofferErrors.code(e.failure())),
          "preparing the bench data failed at: " + e.step() + ": "
              + CofferErrors.describe(e.failure()) + (e.hint().isEmpty() ? "" : "; " + e.hint()));
    } finally {
      connections.forEach(CofferClient::close);
      cleanup = fixture.cleanUp(plan.keepData());
    }
    BenchReport report = new BenchReport(new BenchReport.Run(nodeConfigs.stream()
        .map(ClientConfig::address).collect(Collectors.joining(",")),
        fixture.tenantId(), plan, Runtime.getRuntime().availableProcessors(),
        benchConfig.deadline()), results, cleanup);
    print(report, printer);
    return report.errorCount() > 0 || cleanup.failures() > 0 ? ExitCodes.BENCH_ERRORS
        : ExitCodes.OK;
  }

  private static int roundUp(int value, int multiple) {
    return (value + multiple - 1) / multiple * multiple;
  }

  private List<PhaseResult> measure(Map<Operation, Workload> workloads,
      Duration deadline, ProgressLine progress) throws InterruptedException {
    List<PhaseResult> results = new ArrayList<>();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coffer-bench-progress");
      t.setDaemon(true);
      return t;
    });
    try (ClosedLoopRunner runner = new ClosedLoopRunner(new ClosedLoopRunner.Settings(
        plan.concurrency(), plan.channels(), plan.warmup(), plan.duration(), plan.maxOps(),
        deadline))) {
      ticker.scheduleAtFixedRate(() -> show(runner.progress(), progress), 250, 250,
          TimeUnit.MILLISECONDS);
      Map<Mix, LatencyRecorder> recorders = new LinkedHashMap<>();
      Map<Mix, Long> elapsed = new HashMap<>();
      for (int round = 0; round < plan.rounds(); round++) {
        for (Mix phase : plan.phases()) {
          LatencyRecorder into = recorders.computeIfAbsent(phase,
              m -> new LatencyRecorder(m.operations()));
          elapsed.merge(phase, runner.runInto(phase, workloads, plan.warmupOfRound(round),
              plan.roundWindow(), into), Long::sum);
        }
      }
      for (Mix phase : plan.phases()) {
        long nanos = elapsed.get(phase);
        PhaseResult result = new PhaseResult(phase, nanos, recorders.get(phase).results(nanos));
        results.add(result);
        OpResult summary = result.rows().get(result.rows().size() - 1);
        progress.note(String.format(Locale.ROOT, "%s: %.1f ops/s, p50 %d us, p99 %d us, %d errors",
            phase.label(), summary.opsPerSec(), summary.p50Micros(), summary.p99Micros(),
            result.errorCount()));
      }
    } catch (IllegalStateException e) {
      throw new CliFailure(ExitCodes.OTHER, e.getMessage());
    } finally {
      ticker.shutdownNow();
    }
    return results;
  }

  private static void show(ClosedLoopRunner.Progress p, ProgressLine progress) {
    if (p != null) {
      progress.progress(String.format(Locale.ROOT, "%s: %s %.1f/%.1fs, %d calls, %d errors",
          p.phase(), p.measuring() ? "measuring" : "warming up", p.elapsedNanos() / 1e9,
          p.windowNanos() / 1e9, p.finished(), p.failed()));
    }
  }

  private void print(BenchReport report, Printer printer) {
    if (printer.isJson()) {
      ctx.out().println(report.json());
    } else {
      report.preamble().forEach(ctx.out()::println);
      TextTable table = new TextTable(BenchReport.header());
      report.rows().forEach(table::row);
      table.print(ctx.out());
      ctx.out().println(report.cleanupSummary());
    }
    ctx.out().flush();
  }

  /** {@code health}, {@code verify}... in any case. */
  static final class OperationConverter implements ITypeConverter<Operation> {
    @Override
    public Operation convert(String value) {
      try {
        return Operation.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code reveal=90,create=10}. */
  static final class MixConverter implements ITypeConverter<Mix> {
    @Override
    public Mix convert(String value) {
      try {
        return Mix.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A window: {@code 0}, or a whole number and {@code ms}, {@code s}, {@code m} or {@code h}. */
  static final class WindowConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip();
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      if (v.matches("\\d{1,9}ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.matches("\\d{1,9}[smh]")) {
        return DurationConverter.parse(v);
      }
      throw new TypeConversionException("'" + v + "' is not a duration: use 0 or a whole number"
          + " and a unit ms, s, m or h (e.g. 500ms, 20s, 2m)");
    }
  }
}
