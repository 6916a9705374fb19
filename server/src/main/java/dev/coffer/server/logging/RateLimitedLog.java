package dev.coffer.server.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes at most one line per interval to a {@link Logger}: events that arrive sooner are
 * counted, and the next line written says how many were suppressed since the previous one.
 * For events a client can repeat at will (an oversized message) or that repeat while a
 * fault lasts (a full disk), so that the log stays readable and cannot fill the disk.
 *
 * <p>Contract: {@link #log} is thread-safe and cheap when suppressing (one lock, no
 * formatting); the first event is always written. Never adds a stack trace: callers pass a
 * one-line message that already names the cause. Security: the caller's text is logged
 * as given, so it must hold no secret, token or key (callers build it from error classes,
 * codes and sizes only).
 */
public final class RateLimitedLog {

  private final Logger logger;
  private final Duration interval;
  private final Clock clock;
  private Instant nextAllowed = Instant.MIN; // guarded by this
  private long suppressed; // guarded by this

  public RateLimitedLog(Logger logger, Duration interval, Clock clock) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Logs {@code message} at {@code level} unless a line was written less than the interval
   * ago; returns whether it was written.
   */
  public boolean log(Level level, String message) {
    long skipped;
    synchronized (this) {
      Instant now = clock.instant();
      if (now.isBefore(nextAllowed)) {
        suppressed++;
        return false;
      }
      nextAllowed = now.plus(interval);
      skipped = suppressed;
      suppressed = 0;
    }
    logger.log(level, skipped == 0 ? message
        : message + " (" + skipped + " more like it suppressed since the previous line)");
    return true;
  }

  /** Events not written since the last line. */
  public synchronized long suppressed() {
    return suppressed;
  }
}
