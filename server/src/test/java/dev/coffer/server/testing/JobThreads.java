package dev.coffer.server.testing;

/** Counts live threads by name, as background jobs name their threads. */
public final class JobThreads {

  private JobThreads() {}

  /** Live threads named {@code name}. */
  public static long count(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(name)).count();
  }

  /** Waits (joins, at most 10 s in all) until no live thread is named {@code name}. */
  public static boolean awaitNone(String name) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
    return count(name) == 0;
  }
}
