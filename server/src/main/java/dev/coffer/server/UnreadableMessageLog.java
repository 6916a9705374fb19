package dev.coffer.server;

import dev.coffer.server.logging.RateLimitedLog;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Replaces grpc-netty's log of a request message it could not read (larger than the
 * server's maximum inbound size, or undecodable), which is a WARNING with a full stack
 * trace for every such call, by one line without a stack trace, at most one per
 * {@value #INTERVAL_SECONDS} s with the count of those not written. A client can send such
 * messages at will; the log must not grow with them. The caller still gets its status
 * (RESOURCE_EXHAUSTED for a message too large) from gRPC.
 *
 * <p>Contract: {@link #install} sets a {@link Filter} on grpc-netty's
 * {@code NettyServerStream} logger (JVM-wide; a later install replaces an earlier one).
 * Only records of that logger with the message {@value #GRPC_MESSAGE} are rewritten;
 * everything else passes unchanged. Security: the line holds the gRPC status code and
 * gRPC's own description (sizes, codec names), never message content.
 */
public final class UnreadableMessageLog implements Filter {

  static final long INTERVAL_SECONDS = 10;
  /** The logger grpc-netty's server stream writes to (shaded package). */
  static final String GRPC_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
  /** What grpc-netty logs when it cannot read a request message. */
  static final String GRPC_MESSAGE = "Exception processing message";
  /** Held here: java.util.logging keeps loggers weakly, and the filter lives on this one. */
  private static final Logger GRPC = Logger.getLogger(GRPC_LOGGER);
  private static final Logger LOG = Logger.getLogger(UnreadableMessageLog.class.getName());

  private final RateLimitedLog log;

  private UnreadableMessageLog(Clock clock) {
    this.log = new RateLimitedLog(LOG, Duration.ofSeconds(INTERVAL_SECONDS), clock);
  }

  /** Installs the filter on grpc-netty's logger; returns it. */
  public static UnreadableMessageLog install(Clock clock) {
    UnreadableMessageLog filter = new UnreadableMessageLog(clock);
    GRPC.setFilter(filter);
    return filter;
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (!GRPC_MESSAGE.equals(record.getMessage())) {
      return true;
    }
    Status status = record.getThrown() == null ? Status.UNKNOWN
        : Status.fromThrowable(record.getThrown());
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    log.log(Level.WARNING, "refused a request message gRPC could not read: "
        + status.getCode() + description);
    return false;
  }

  /** Lines not written since the last one. */
  public long suppressed() {
    return log.suppressed();
  }
}
