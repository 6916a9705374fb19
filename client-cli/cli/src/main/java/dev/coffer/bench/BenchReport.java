package dev.coffer.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The outcome of a run, for people (a preamble and table cells) and for machines (one JSON
 * document). Every row carries its ratio to the {@code health} baseline measured in the same
 * run: operations per second divided by health's (absent without a health phase).
 *
 * <p>Security: counts, times, names and status codes only; there is no field that could hold
 * a value or token.
 */
public final class BenchReport {

  /** Where and how the run went, besides the plan. */
  public record Run(String address, String tenantId, BenchPlan plan, int clientCores,
      java.time.Duration callDeadline) {}

  private static final String[] HEADER = {
    "PHASE", "OP", "OPS", "OPS/S", "P50 US", "P99 US", "P99.9 US", "MAX US", "ERRORS", "X HEALTH"
  };

  private final Run run;
  private final List<PhaseResult> phases;
  private final Cleanup cleanup;

  /** @param cleanup null when the data was not cleaned up (yet) */
  public BenchReport(Run run, List<PhaseResult> phases, Cleanup cleanup) {
    this.run = run;
    this.phases = List.copyOf(phases);
    this.cleanup = cleanup;
  }

  /** Failed calls in all measured windows (total rows of mixes not counted twice). */
  public long errorCount() {
    return phases.stream().mapToLong(PhaseResult::errorCount).sum();
  }

  /** Operations per second of the health phase, or null without one. */
  public Double healthOpsPerSec() {
    return phases.stream()
        .filter(p -> p.mix().isSingle() && p.mix().operations().get(0) == Operation.HEALTH)
        .map(p -> p.rows().get(0).opsPerSec()).findFirst().orElse(null);
  }

  /** {@code row}'s operations per second over health's, or null. */
  public Double ratioToHealth(OpResult row) {
    Double health = healthOpsPerSec();
    return health == null || health == 0 ? null : row.opsPerSec() / health;
  }

  /** Lines that say what was run, before the table. */
  public List<String> preamble() {
    BenchPlan p = run.plan();
    List<String> lines = new ArrayList<>();
    lines.add("coffer bench against " + run.address() + ", "
        + (run.tenantId() == null ? "no tenant (health only)" : "tenant " + run.tenantId())
        + ", client cores " + run.clientCores());
    String windows = p.rounds() == 1
        ? "each phase: warm-up " + millis(p.warmup()) + ", then " + millis(p.duration())
            + " or " + p.maxOps() + " calls"
        : "phases in turn, " + p.rounds() + " rounds: warm-up " + millis(p.warmup())
            + " (later rounds " + millis(p.warmupOfRound(1)) + "), then "
            + millis(p.roundWindow()) + " or " + p.maxOps() + " calls a round";
    lines.add(p.concurrency() + " concurrent calls over " + p.channels() + " channels; "
        + windows + "; " + p.apps() + " applications, " + p.secrets() + " secrets");
    return lines;
  }

  /** The table's column names. */
  public static String[] header() {
    return HEADER.clone();
  }

  /** The table's rows (see {@link #header()}), one per operation and phase. */
  public List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    for (PhaseResult phase : phases) {
      for (OpResult r : phase.rows()) {
        Double ratio = ratioToHealth(r);
        rows.add(new String[] {
          phase.mix().label(), r.label(), Long.toString(r.ops()),
          String.format(Locale.ROOT, "%.1f", r.opsPerSec()), Long.toString(r.p50Micros()),
          Long.toString(r.p99Micros()), Long.toString(r.p999Micros()),
          Long.toString(r.maxMicros()), errors(r),
          ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio)
        });
      }
    }
    return rows;
  }

  /** The cleanup line, or null. */
  public String cleanupSummary() {
    return cleanup == null ? null : cleanup.summary();
  }

  /** The whole run as one pretty-printed JSON document. */
  public String json() {
    return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(jsonTree());
  }

  JsonObject jsonTree() {
    JsonObject root = new JsonObject();
    root.addProperty("tool", "coffer bench");
    root.addProperty("address", run.address());
    root.addProperty("tenant", run.tenantId());
    root.addProperty("clientCores", run.clientCores());
    root.add("parameters", parameters(run));
    JsonArray results = new JsonArray();
    for (PhaseResult phase : phases) {
      for (OpResult r : phase.rows()) {
        results.add(result(phase, r));
      }
    }
    root.add("results", results);
    root.add("cleanup", cleanup == null ? JsonNull.INSTANCE : cleanupJson(cleanup));
    return root;
  }

  private JsonObject result(PhaseResult phase, OpResult r) {
    JsonObject o = new JsonObject();
    o.addProperty("phase", phase.mix().label());
    o.addProperty("operation", r.label());
    o.addProperty("elapsedMillis", phase.elapsedNanos() / 1_000_000);
    o.addProperty("ops", r.ops());
    o.addProperty("opsPerSec", Math.round(r.opsPerSec() * 10) / 10.0);
    o.addProperty("p50Micros", r.p50Micros());
    o.addProperty("p99Micros", r.p99Micros());
    o.addProperty("p999Micros", r.p999Micros());
    o.addProperty("maxMicros", r.maxMicros());
    JsonObject errors = new JsonObject();
    r.errors().forEach(errors::addProperty);
    o.add("errors", errors);
    Double ratio = ratioToHealth(r);
    if (ratio == null) {
      o.add("ratioToHealth", JsonNull.INSTANCE);
    } else {
      o.addProperty("ratioToHealth", Math.round(ratio * 1000) / 1000.0);
    }
    return o;
  }

  private static JsonObject parameters(Run run) {
    BenchPlan p = run.plan();
    JsonObject o = new JsonObject();
    JsonArray phases = new JsonArray();
    p.phases().forEach(m -> phases.add(m.label()));
    o.add("phases", phases);
    o.addProperty("concurrency", p.concurrency());
    o.addProperty("channels", p.channels());
    o.addProperty("warmupMillis", p.warmup().toMillis());
    o.addProperty("durationMillis", p.duration().toMillis());
    o.addProperty("rounds", p.rounds());
    o.addProperty("maxOps", p.maxOps());
    o.addProperty("apps", p.apps());
    o.addProperty("secrets", p.secrets());
    o.addProperty("revealTargets", p.revealTargets());
    o.addProperty("listPageSize", BenchPlan.LIST_PAGE);
    o.addProperty("callDeadlineMillis", run.callDeadline().toMillis());
    o.addProperty("keepData", p.keepData());
    return o;
  }

  private static JsonObject cleanupJson(Cleanup c) {
    JsonObject o = new JsonObject();
    o.addProperty("keptData", c.keptData());
    o.addProperty("secretsDeleted", c.secretsDeleted());
    o.addProperty("grantsRevoked", c.grantsRevoked());
    o.addProperty("tokensRevoked", c.tokensRevoked());
    o.addProperty("failures", c.failures());
    o.addProperty("firstFailure", c.firstFailure());
    return o;
  }

  private static String errors(OpResult r) {
    if (r.errors().isEmpty()) {
      return "0";
    }
    return r.errors().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static String millis(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
