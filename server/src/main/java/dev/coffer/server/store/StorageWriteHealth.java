package dev.coffer.server.store;

import dev.coffer.server.logging.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Whether storage writes currently fail (disk full, I/O error), for operators: every
 * failed write is reported here with its cause and logged (one line per
 * {@value #LOG_INTERVAL_SECONDS} s at most, with the count of failures not logged), and the
 * failure is shown by {@code coffer admin status} from the first failed write until the next
 * write that succeeds, which clears it and logs the recovery once.
 *
 * <p>Security: the cause is described from the error's class and RocksDB status code and
 * sub-code only; RocksDB's own message (which names files, and could in principle quote
 * data) is kept only for I/O errors, where it is the operating system's reason and a file
 * name. Never a key or a value. Thread-safe.
 */
public final class StorageWriteHealth {

  static final long LOG_INTERVAL_SECONDS = 10;
  private static final Logger LOG = Logger.getLogger(StorageWriteHealth.class.getName());
  private static final int MAX_CAUSE_CHARS = 300;

  /** A failure that lasts: first and last failed write, how many, the last cause. */
  public record Failure(String cause, Instant since, Instant last, long failedWrites) {}

  private final Clock clock;
  private final Logger logger;
  private final RateLimitedLog log;
  private Failure current; // guarded by this

  public StorageWriteHealth(Clock clock) {
    this(clock, LOG);
  }

  StorageWriteHealth(Clock clock, Logger logger) {
    this.clock = clock;
    this.logger = logger;
    this.log = new RateLimitedLog(logger, Duration.ofSeconds(LOG_INTERVAL_SECONDS), clock);
  }

  /** Records a failed write and logs it (rate limited). */
  public void failed(Throwable error) {
    String cause = describe(error);
    Instant now = clock.instant();
    Failure f;
    synchronized (this) {
      f = current == null ? new Failure(cause, now, now, 1)
          : new Failure(cause, current.since(), now, current.failedWrites() + 1);
      current = f;
    }
    log.log(Level.SEVERE, "storage write failed: " + cause + "; failing since " + f.since()
        + ", " + f.failedWrites() + " failed writes so far");
  }

  /** Records a successful write: ends a lasting failure, logging the recovery once. */
  public void succeeded() {
    Failure ended;
    synchronized (this) {
      if (current == null) {
        return;
      }
      ended = current;
      current = null;
    }
    logger.log(Level.WARNING, "storage writes succeed again, after " + ended.failedWrites()
        + " failed writes from " + ended.since() + " to " + ended.last());
  }

  /** The failure that lasts, if the last write failed. */
  public synchronized Optional<Failure> current() {
    return Optional.ofNullable(current);
  }

  /**
   * The error class and, for a RocksDB error, its status code and sub-code (and the
   * operating system's reason for an I/O error), from the first RocksDB error in the chain.
   */
  static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RocksDBException rocks) {
        Status status = rocks.getStatus();
        if (status == null) {
          return "RocksDBException";
        }
        StringBuilder b = new StringBuilder("RocksDBException ").append(status.getCode());
        if (status.getSubCode() != null && status.getSubCode() != Status.SubCode.None) {
          b.append('/').append(status.getSubCode());
        }
        if (status.getCode() == Status.Code.IOError && status.getState() != null) {
          b.append(": ").append(status.getState());
        }
        return b.length() > MAX_CAUSE_CHARS ? b.substring(0, MAX_CAUSE_CHARS) + "…"
            : b.toString();
      }
    }
    return error.getClass().getSimpleName();
  }
}
