package dev.coffer.bench;

/**
 * One kind of call the {@link ClosedLoopRunner} issues. Implementations are thread-safe and
 * asynchronous: {@link #start} returns at once and the call's end is reported later, from a
 * transport thread. Security: a workload never logs, prints or keeps a response; values it
 * sends (verify) or receives (reveal, create) stay inside the call.
 */
public interface Workload {

  /** How a call ended: {@code failure} null for success, else a status code name. */
  @FunctionalInterface
  interface Done {
    void done(String failure);
  }

  Operation operation();

  /**
   * Starts one call for closed-loop {@code slot} on connection {@code channel}, and reports
   * its end to {@code done} exactly once.
   */
  void start(int slot, int channel, Done done);
}
