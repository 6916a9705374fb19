package dev.coffer.server.service.kernel;

import java.time.Duration;
import java.util.Objects;

/**
 * What one periodic background job is: its name (also the name of the thread it runs on),
 * the delay before its first run, the delay between the end of one run and the start of the
 * next, what a run does, and on which nodes it may run. A definition only: nothing runs
 * until the {@link BackgroundJobs} it is registered with starts.
 *
 * <p>Security: a job's name is logged when a run fails, so it names the job, never a record
 * or a value.
 *
 * @param name thread name, unique within one {@link BackgroundJobs}, e.g. {@code coffer-kek-rewrap}
 * @param initialDelay before the first run; zero or positive
 * @param period between runs (fixed delay); positive
 * @param run one run; a run that throws is logged by exception class and the schedule goes on
 * @param placement whether the job runs on every node or only on the leader of a cluster
 */
public record BackgroundJob(String name, Duration initialDelay, Duration period, Runnable run,
    Placement placement) {

  /**
   * On which nodes a job runs: the one place where replication (issue 18) says "only while
   * this node leads". A single node always leads, so today both placements run.
   */
  public enum Placement {
    /** Reads or tidies this node's own state (its storage files, its watchers, its TLS files). */
    EVERY_NODE,
    /** Writes replicated state; in a cluster it must run only while this node is the leader. */
    LEADER_ONLY
  }

  public BackgroundJob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(placement, "placement");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a job needs a name");
    }
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay must not be negative");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
  }

  /** A job that runs on every node. */
  public static BackgroundJob onEveryNode(String name, Duration initialDelay, Duration period,
      Runnable run) {
    return new BackgroundJob(name, initialDelay, period, run, Placement.EVERY_NODE);
  }

  /** A job that writes replicated state, so that in a cluster only the leader runs it. */
  public static BackgroundJob onLeaderOnly(String name, Duration initialDelay, Duration period,
      Runnable run) {
    return new BackgroundJob(name, initialDelay, period, run, Placement.LEADER_ONLY);
  }
}
