package dev.coffer.server.domain;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The wall-clock time (epoch milliseconds) after which the caller of the call this thread is
 * serving no longer waits for its answer, when the caller set a deadline. The gRPC edge sets
 * it around each handler ({@link #within}); a write that must go through the cluster's
 * consensus reads it ({@link #current}) so that it is never proposed, nor taken by a leader,
 * once its caller has given up.
 *
 * <p>Contract: confined to the thread that runs {@link #within}, and restored when
 * {@code work} returns or throws; a continuation on another thread does not see it, and code
 * that finds none uses its own bound. Holds a time only.
 */
public final class CallDeadline {

  private static final ThreadLocal<Long> CURRENT = new ThreadLocal<>();

  private CallDeadline() {}

  /** Runs {@code work} on this thread with {@code epochMillis} as the current call's deadline. */
  public static <T> T within(long epochMillis, Supplier<T> work) {
    Long previous = CURRENT.get();
    CURRENT.set(epochMillis);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The deadline of the call this thread is serving, if its caller set one. */
  public static OptionalLong current() {
    Long deadline = CURRENT.get();
    return deadline == null ? OptionalLong.empty() : OptionalLong.of(deadline);
  }
}
