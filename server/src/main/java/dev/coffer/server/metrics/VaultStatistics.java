package dev.coffer.server.metrics;

import dev.coffer.server.store.KvStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import dev.coffer.server.service.kernel.BackgroundJob;

/**
 * The job behind the domain gauges (secrets by state and tenant, secrets expiring within
 * 1/7/30 days, seconds to the next expiry, active grants, pending access requests). Every
 * {@code period} it reads on through the store for at most {@code recordsPerRun} records
 * ({@link StatisticsSweep}); when a sweep has read everything, its figures replace the
 * published ones at once. A large vault is therefore swept over several runs, and request
 * paths never pay for any of it. A run that fails is counted and the next run starts a
 * new sweep. Time comes from the injected {@link Clock}.
 *
 * <p>{@link #job} is what the server schedules while it runs; {@link #refresh} performs a
 * whole sweep synchronously (tests, or an operator wanting fresh figures). Thread-safe.
 *
 * <p>Security: reads metadata only and publishes counts labelled by tenant; no value,
 * verifier or record id leaves it.
 */
public final class VaultStatistics {

  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);
  public static final int DEFAULT_RECORDS_PER_RUN = 50_000;

  private final KvStore store;
  private final Clock clock;
  private final Duration period;
  private final int recordsPerRun;
  private final DomainGauges gauges;
  private final Counter completed;
  private final Counter failed;
  private StatisticsSweep sweep; // guarded by this
  private volatile StatisticsSnapshot latest;

  public VaultStatistics(KvStore store, Clock clock, MeterRegistry registry, Duration period,
      int recordsPerRun) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
    if (recordsPerRun < 1) {
      throw new IllegalArgumentException("recordsPerRun must be at least 1");
    }
    this.period = period;
    this.recordsPerRun = recordsPerRun;
    this.gauges = new DomainGauges(registry, clock);
    this.completed = runs(registry, "complete");
    this.failed = runs(registry, "failure");
  }

  /**
   * Reads on for at most {@code recordsPerRun} records (starting a new sweep if none is
   * under way) and publishes the figures if the sweep is now complete.
   *
   * @return true when this run completed a sweep
   * @throws RuntimeException what the store threw; the sweep is abandoned
   */
  public synchronized boolean runOnce() {
    if (sweep == null) {
      sweep = new StatisticsSweep(store, clock.instant());
    }
    try {
      if (!sweep.advance(recordsPerRun)) {
        return false;
      }
      StatisticsSnapshot snapshot = sweep.snapshot();
      sweep = null;
      latest = snapshot;
      gauges.publish(snapshot);
      completed.increment();
      return true;
    } catch (RuntimeException e) {
      sweep = null;
      failed.increment();
      throw e;
    }
  }

  /** Sweeps the whole store now, from the start, and publishes the result. */
  public synchronized StatisticsSnapshot refresh() {
    sweep = null;
    while (!runOnce()) {
      // each run reads at least one more record, so this ends
    }
    return latest;
  }

  /** The figures of the latest complete sweep, if any. */
  public Optional<StatisticsSnapshot> latest() {
    return Optional.ofNullable(latest);
  }

  /** A run now and then every period, on every node (each reports its own store). */
  public BackgroundJob job() {
    return BackgroundJob.onEveryNode("coffer-statistics", Duration.ZERO, period, this::runOnce);
  }



  private static Counter runs(MeterRegistry registry, String result) {
    return Counter.builder("coffer.statistics.sweeps")
        .description("Statistics sweeps completed or abandoned after a failure")
        .tag("result", result)
        .register(registry);
  }
}
