package dev.coffer.server;

/**
 * Gives the JVM's common fork-join pool at least two threads unless its parallelism was set
 * with {@code -D}. On a machine with two cores the JDK sizes the common pool at one thread,
 * and {@link java.util.concurrent.CompletableFuture} then runs every {@code *Async} stage
 * without an executor on a <em>new thread per task</em>; Apache Ratis appends each Raft log
 * entry through such a stage, so a cluster node on two cores started a thread for every
 * entry (seen in thread samples under write load). The server's {@code main} calls
 * {@link #atLeastTwoUnlessSet} first, before anything touches {@code CompletableFuture}.
 */
public final class CommonPoolParallelism {

  /** The system property of the common pool's parallelism. */
  public static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPoolParallelism() {}

  /** Sets {@link #PROPERTY} to max(2, cores - 1) unless it already has a value. */
  public static void atLeastTwoUnlessSet() {
    if (System.getProperty(PROPERTY) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(PROPERTY, Integer.toString(Math.max(2, cores - 1)));
    }
  }
}
