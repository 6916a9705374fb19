package dev.coffer.server.service.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.testing.JobThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one owner of background work: order, once-only start and stop, failure isolation. */
class BackgroundJobsTest {

  private static final Duration MS = Duration.ofMillis(1);

  /** Records every start and stop instead of running threads. */
  private static final class RecordingScheduler implements BackgroundJobs.Scheduler {
    final List<String> events = new ArrayList<>();
    String failToStart = "";
    String failToStop = "";

    @Override
    public synchronized AutoCloseable schedule(BackgroundJob job) {
      if (job.name().equals(failToStart)) {
        throw new IllegalStateException("cannot start");
      }
      events.add("start " + job.name());
      return () -> {
        synchronized (this) {
          events.add("stop " + job.name());
        }
        if (job.name().equals(failToStop)) {
          throw new IllegalStateException("cannot stop");
        }
      };
    }
  }

  private static BackgroundJob job(String name) {
    return BackgroundJob.onEveryNode(name, Duration.ZERO, MS, () -> { });
  }

  @Test
  void start_startsEachJobOnceInOrder_andStop_stopsEachOnceInReverse() {
    RecordingScheduler scheduler = new RecordingScheduler();
    BackgroundJobs jobs = new BackgroundJobs(scheduler)
        .register(job("a")).register(job("b")).register(job("c"));
    assertEquals(List.of(), scheduler.events, "registering runs nothing");
    jobs.start();
    jobs.start();
    assertEquals(List.of("start a", "start b", "start c"), scheduler.events);
    jobs.stop();
    jobs.stop();
    assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"),
        scheduler.events);
  }

  @Test
  void stopBeforeStart_stopsNothing_andStoppedJobsNeverStart() {
    RecordingScheduler scheduler = new RecordingScheduler();
    BackgroundJobs jobs = new BackgroundJobs(scheduler).register(job("a"));
    jobs.stop();
    assertThrows(IllegalStateException.class, jobs::start);
    assertEquals(List.of(), scheduler.events);
  }

  @Test
  void aJobThatFailsToStartOrToStop_doesNotKeepTheOthersFromStartingOrStopping() {
    RecordingScheduler scheduler = new RecordingScheduler();
    scheduler.failToStart = "b";
    scheduler.failToStop = "c";
    BackgroundJobs jobs = new BackgroundJobs(scheduler)
        .register(job("a")).register(job("b")).register(job("c"));
    jobs.start();
    jobs.stop();
    assertEquals(List.of("start a", "start c", "stop c", "stop a"), scheduler.events);
  }

  @Test
  void registration_isRefusedAfterStart_andForADuplicateName() {
    BackgroundJobs jobs = new BackgroundJobs(new RecordingScheduler()).register(job("a"));
    assertThrows(IllegalArgumentException.class, () -> jobs.register(job("a")));
    jobs.start();
    assertThrows(IllegalStateException.class, () -> jobs.register(job("b")));
    jobs.stop();
    assertEquals(List.of("a"), jobs.jobs().stream().map(BackgroundJob::name).toList());
  }

  @Test
  void aJobWhoseRunsThrow_keepsItsScheduleAndDoesNotStopTheOthers()
      throws InterruptedException {
    CountDownLatch failedRuns = new CountDownLatch(3);
    CountDownLatch goodRuns = new CountDownLatch(3);
    BackgroundJobs jobs = new BackgroundJobs()
        .register(BackgroundJob.onEveryNode("test-jobs-failing", Duration.ZERO, MS, () -> {
          failedRuns.countDown();
          throw new IllegalStateException("every run fails");
        }))
        .register(BackgroundJob.onEveryNode("test-jobs-good", Duration.ZERO, MS,
            goodRuns::countDown));
    jobs.start();
    try {
      assertTrue(failedRuns.await(30, TimeUnit.SECONDS), "the failing job ran again");
      assertTrue(goodRuns.await(30, TimeUnit.SECONDS), "the other job kept running");
    } finally {
      jobs.stop();
    }
  }

  @Test
  void noThreadRunsBeforeStart_oneThreadPerJobWhileRunning_noneAfterStop()
      throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    BackgroundJobs jobs = new BackgroundJobs()
        .register(BackgroundJob.onEveryNode("test-jobs-one", Duration.ZERO, MS,
            runs::incrementAndGet))
        .register(BackgroundJob.onLeaderOnly("test-jobs-two", Duration.ZERO, MS,
            runs::incrementAndGet));
    assertEquals(0, JobThreads.count("test-jobs-one") + JobThreads.count("test-jobs-two"));
    jobs.start();
    try {
      assertEquals(1, JobThreads.count("test-jobs-one"));
      assertEquals(1, JobThreads.count("test-jobs-two"), "a single node runs leader-only jobs");
    } finally {
      jobs.stop();
    }
    assertTrue(JobThreads.awaitNone("test-jobs-one") && JobThreads.awaitNone("test-jobs-two"),
        "stopped jobs leave no thread");
  }

  /** Runs each scheduled job's run once, when asked, instead of on a timer. */
  private static final class ManualScheduler implements BackgroundJobs.Scheduler {
    final List<BackgroundJob> scheduled = new ArrayList<>();

    @Override
    public AutoCloseable schedule(BackgroundJob job) {
      scheduled.add(job);
      return () -> { };
    }

    void runAll() {
      scheduled.forEach(j -> j.run().run());
    }
  }

  @Test
  void aLeaderOnlyJob_worksOnlyWhileThisNodeLeads_andAnEveryNodeJobAlways() {
    ManualScheduler scheduler = new ManualScheduler();
    AtomicBoolean leads = new AtomicBoolean();
    List<String> ran = new ArrayList<>();
    BackgroundJobs jobs = new BackgroundJobs(scheduler).leadership(leads::get)
        .register(BackgroundJob.onLeaderOnly("writer", Duration.ZERO, MS, () -> ran.add("writer")))
        .register(BackgroundJob.onEveryNode("local", Duration.ZERO, MS, () -> ran.add("local")));
    jobs.start();
    scheduler.runAll();
    assertEquals(List.of("local"), ran, "a follower does only its own node's work");
    leads.set(true);
    scheduler.runAll();
    assertEquals(List.of("local", "writer", "local"), ran, "leadership moves the work here");
    leads.set(false);
    scheduler.runAll();
    assertEquals(List.of("local", "writer", "local", "local"), ran, "and away again");
  }

  @Test
  void eachRunOfEveryJob_goesThroughTheGivenRunner() {
    ManualScheduler scheduler = new ManualScheduler();
    List<String> ran = new ArrayList<>();
    new BackgroundJobs(scheduler).eachRunThrough(run -> {
      ran.add("enter");
      run.run();
      ran.add("leave");
    })
        .register(BackgroundJob.onLeaderOnly("writer", Duration.ZERO, MS, () -> ran.add("writer")))
        .register(BackgroundJob.onEveryNode("local", Duration.ZERO, MS, () -> ran.add("local")))
        .start();
    scheduler.runAll();
    assertEquals(List.of("enter", "writer", "leave", "enter", "local", "leave"), ran);
  }

  @Test
  void withoutALeadershipSignal_aLeaderOnlyJobRuns_asOnASingleNode() {
    ManualScheduler scheduler = new ManualScheduler();
    List<String> ran = new ArrayList<>();
    new BackgroundJobs(scheduler)
        .register(BackgroundJob.onLeaderOnly("writer", Duration.ZERO, MS, () -> ran.add("writer")))
        .start();
    scheduler.runAll();
    assertEquals(List.of("writer"), ran);
  }
}
