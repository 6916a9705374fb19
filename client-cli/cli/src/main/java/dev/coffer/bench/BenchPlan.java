package dev.coffer.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code coffer bench} run: its phases in order (each a {@link Mix}, measured
 * alone), the closed-loop shape (concurrent calls over channels), the two bounded windows of
 * every phase, and the size of the data it prepares. Immutable. Security: numbers only.
 *
 * @param phases in run order; with the health baseline, {@code health} first
 * @param concurrency calls in flight at once (closed loop: each finished call starts the next)
 * @param channels connections the calls are spread over, round robin by slot
 * @param warmup the warm-up window of each phase (zero: none); its calls are not reported
 * @param duration the measured window of each phase
 * @param maxOps the most calls each window issues: a window ends at its time or this count
 * @param apps applications prepared, each with one secret to verify
 * @param secrets vaulted, shared secrets prepared in one application, to reveal and list
 * @param keepData leave the prepared and created secrets in place after the run
 * @param rounds how many times the phases run in turn, each measured window
 *     {@code duration / rounds} long (the first round warms up for {@code warmup}, later ones
 *     for {@code warmup / rounds}); each phase's figures merge its windows, so a machine whose
 *     speed drifts during the run biases every phase alike
 */
public record BenchPlan(List<Mix> phases, int concurrency, int channels, Duration warmup,
    Duration duration, long maxOps, int apps, int secrets, boolean keepData, int rounds) {

  public static final int MAX_CONCURRENCY = 10_000;
  public static final Duration MAX_WINDOW = Duration.ofHours(24);
  public static final long MAX_OPS = 1_000_000_000_000L;
  public static final int MAX_APPS = 10_000;
  public static final int MAX_SECRETS = 10_000_000;
  /** Page size of the {@code list} operation. */
  public static final int LIST_PAGE = 100;
  /** The reveal targets: the first this many prepared secrets, each granted to the reader. */
  public static final int MAX_REVEAL_TARGETS = 256;
  public static final int MAX_ROUNDS = 100;
  /** The shortest measured window a round may have. */
  public static final Duration MIN_ROUND_WINDOW = Duration.ofMillis(100);

  /** A plan of one round. */
  public BenchPlan(List<Mix> phases, int concurrency, int channels, Duration warmup,
      Duration duration, long maxOps, int apps, int secrets, boolean keepData) {
    this(phases, concurrency, channels, warmup, duration, maxOps, apps, secrets, keepData, 1);
  }

  /** @throws IllegalArgumentException naming the option that is out of range */
  public BenchPlan {
    phases = List.copyOf(phases);
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("nothing to measure: give --op or --mix");
    }
    range("--concurrency", concurrency, 1, MAX_CONCURRENCY);
    if (channels < 1 || channels > concurrency) {
      throw new IllegalArgumentException("--channels must be between 1 and --concurrency ("
          + concurrency + "), not " + channels);
    }
    if (warmup.isNegative() || warmup.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("--warmup must be between 0 and 24h");
    }
    if (duration.isZero() || duration.isNegative() || duration.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("--duration must be more than 0 and at most 24h");
    }
    if (maxOps < 1 || maxOps > MAX_OPS) {
      throw new IllegalArgumentException("--max-ops must be between 1 and " + MAX_OPS
          + ", not " + maxOps);
    }
    range("--rounds", rounds, 1, MAX_ROUNDS);
    if (duration.dividedBy(rounds).compareTo(MIN_ROUND_WINDOW) < 0) {
      throw new IllegalArgumentException("--duration / --rounds must be at least 100ms, not "
          + duration.dividedBy(rounds).toMillis() + "ms");
    }
    range("--apps", apps, 1, MAX_APPS);
    range("--secrets", secrets, 0, MAX_SECRETS);
    Set<Operation> ops = operations(phases);
    if (ops.contains(Operation.LIST) && secrets < LIST_PAGE) {
      throw new IllegalArgumentException("--secrets must be at least " + LIST_PAGE
          + " to measure list (one full page of " + LIST_PAGE + "), not " + secrets);
    }
    if (ops.contains(Operation.REVEAL) && secrets < 1) {
      throw new IllegalArgumentException("--secrets must be at least 1 to measure reveal");
    }
  }

  /**
   * The phases for {@code --op} and {@code --mix} as given (ops first, then mixes), with
   * {@code health} put first when {@code healthBaseline} and not already there; all five
   * operations when neither is given.
   *
   * @throws IllegalArgumentException when an operation or mix is given twice
   */
  public static List<Mix> phases(List<Operation> ops, List<Mix> mixes, boolean healthBaseline) {
    List<Mix> phases = new ArrayList<>();
    List<Operation> singles = ops.isEmpty() && mixes.isEmpty()
        ? List.of(Operation.values()) : ops;
    for (Operation op : singles) {
      if (phases.contains(Mix.of(op))) {
        throw new IllegalArgumentException("--op " + op.cliName() + " is given twice");
      }
      phases.add(Mix.of(op));
    }
    for (Mix mix : mixes) {
      if (phases.contains(mix)) {
        throw new IllegalArgumentException("--mix " + mix.label() + " is given twice");
      }
      phases.add(mix);
    }
    Mix health = Mix.of(Operation.HEALTH);
    if (healthBaseline && !phases.contains(health)) {
      phases.add(0, health);
    }
    return phases;
  }

  /** The warm-up before a phase's window in round {@code round} (0-based). */
  public Duration warmupOfRound(int round) {
    return round == 0 ? warmup : warmup.dividedBy(rounds);
  }

  /** The measured window of a phase in each round. */
  public Duration roundWindow() {
    return duration.dividedBy(rounds);
  }

  /** Every operation any phase issues. */
  public Set<Operation> operations() {
    return operations(phases);
  }

  /** How many prepared secrets get a grant and are revealed (0 when reveal is not measured). */
  public int revealTargets() {
    return operations().contains(Operation.REVEAL) ? Math.min(secrets, MAX_REVEAL_TARGETS) : 0;
  }

  private static Set<Operation> operations(List<Mix> phases) {
    Set<Operation> ops = EnumSet.noneOf(Operation.class);
    phases.forEach(m -> ops.addAll(m.operations()));
    return ops;
  }

  private static void range(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " must be between " + min + " and " + max
          + ", not " + value);
    }
  }
}
