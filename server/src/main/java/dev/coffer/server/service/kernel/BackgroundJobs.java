package dev.coffer.server.service.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one owner of the server's periodic background work. Jobs are registered first (no
 * thread runs then), {@link #start} starts each once, in registration order, after the
 * server serves; {@link #stop} stops each once, in reverse order, waiting up to 5 s for a
 * run in progress. A job whose runs throw, or whose start or stop fails, does not keep the
 * others from running or stopping. Stopped jobs never start again. Thread-safe.
 *
 * <p>Placement: every registration carries a {@link BackgroundJob.Placement}. Every job is
 * scheduled on every node, but a run of a {@code LEADER_ONLY} job does its work only while
 * {@link #leadership} says this node leads (a single node always does), so the work moves with
 * leadership at the next period, without a start or stop on an election.
 *
 * <p>Security: failures are logged by job name and exception class only, never a message
 * (which could name a record).
 */
public final class BackgroundJobs {

  private static final Logger LOG = Logger.getLogger(BackgroundJobs.class.getName());

  /** Runs a job until the returned handle is closed. */
  interface Scheduler {
    AutoCloseable schedule(BackgroundJob job);
  }

  private enum State { REGISTERING, RUNNING, STOPPED }

  private record Running(String name, AutoCloseable handle) {}

  private final Scheduler scheduler;
  private volatile BooleanSupplier leads = () -> true;
  private volatile Consumer<Runnable> runs = Runnable::run;
  private final List<BackgroundJob> jobs = new ArrayList<>(); // guarded by this
  private final List<Running> running = new ArrayList<>(); // guarded by this
  private State state = State.REGISTERING; // guarded by this

  /** Jobs that each run on their own daemon thread named after the job. */
  public BackgroundJobs() {
    this(job -> PeriodicTask.start(job.name(), job.initialDelay(), job.period(), job.run()));
  }

  BackgroundJobs(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Adds {@code job}, to start with the others.
   *
   * @throws IllegalArgumentException when a job of that name is registered already
   * @throws IllegalStateException after {@link #start} or {@link #stop}
   */
  public synchronized BackgroundJobs register(BackgroundJob job) {
    Objects.requireNonNull(job, "job");
    if (state != State.REGISTERING) {
      throw new IllegalStateException("jobs are registered before they start");
    }
    for (BackgroundJob j : jobs) {
      if (j.name().equals(job.name())) {
        throw new IllegalArgumentException("a job named " + job.name() + " is registered");
      }
    }
    jobs.add(job);
    return this;
  }

  /**
   * Whether this node leads now, asked before each run of a {@code LEADER_ONLY} job (a
   * cluster node's Raft role); by default always.
   */
  public BackgroundJobs leadership(BooleanSupplier leads) {
    this.leads = Objects.requireNonNull(leads, "leads");
    return this;
  }

  /**
   * What runs each run of every job (a cluster node's: with the run's reads guarding its
   * writes, as a call's do); by default the run itself.
   */
  public BackgroundJobs eachRunThrough(Consumer<Runnable> runs) {
    this.runs = Objects.requireNonNull(runs, "runs");
    return this;
  }

  /** The registered jobs, in start order. */
  public synchronized List<BackgroundJob> jobs() {
    return List.copyOf(jobs);
  }

  /**
   * Starts every registered job, in registration order; a second call does nothing.
   *
   * @throws IllegalStateException after {@link #stop}
   */
  public synchronized void start() {
    if (state == State.RUNNING) {
      return;
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException("stopped jobs do not start again");
    }
    state = State.RUNNING;
    for (BackgroundJob job : jobs) {
      try {
        running.add(new Running(job.name(), scheduler.schedule(placed(job))));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "{0} did not start: {1}",
            new Object[] {job.name(), e.getClass().getName()});
      }
    }
  }

  /**
   * {@code job}, doing its work only on the leader when its placement says so, each run through
   * {@link #runs}.
   */
  private BackgroundJob placed(BackgroundJob job) {
    Runnable work = job.run();
    boolean leaderOnly = job.placement() == BackgroundJob.Placement.LEADER_ONLY;
    Consumer<Runnable> through = runs;
    return new BackgroundJob(job.name(), job.initialDelay(), job.period(), () -> {
      if (!leaderOnly || leads.getAsBoolean()) {
        through.accept(work);
      }
    }, job.placement());
  }

  /** Stops the started jobs in reverse order, each once; later calls do nothing. */
  public void stop() {
    List<Running> toStop;
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
      toStop = new ArrayList<>(running);
      running.clear();
    }
    Collections.reverse(toStop);
    for (Running job : toStop) { // outside the lock: a stop waits for a run
      try {
        job.handle().close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        LOG.log(Level.WARNING, "{0} did not stop cleanly: {1}",
            new Object[] {job.name(), e.getClass().getName()});
      }
    }
  }
}
