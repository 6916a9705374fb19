package dev.coffer.server.cluster;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How loud Apache Ratis is in a Coffer server's log. Ratis logs every configuration key it reads
 * and every election step at INFO, and its client logs each attempt it is about to retry (a
 * leader not ready yet, a redirect to the leader) at SEVERE with a stack trace, although the
 * retry then succeeds; a proposal that finally fails reaches Coffer's own code, which reports
 * it. So Ratis keeps WARNING and above (a peer unreachable, a slow follower), its client's
 * per-attempt failures are off, and its group members ({@code RaftServer.Division}) keep INFO:
 * about 40 lines per node at start, then one per role or leader change ("change Leader from a
 * to b at term 3"), which operators and the failover tests read. An operator may lower either in a logging configuration file.
 * Security: entries are described by size only in everything Ratis prints
 * ({@link ReplicatedBatch#message}).
 */
public final class RatisLogging {

  // Held so the JDK's weakly referenced loggers keep their levels.
  private static final Logger RATIS = Logger.getLogger("org.apache.ratis");
  private static final Logger CLIENT_RETRIES =
      Logger.getLogger("org.apache.ratis.client.impl.OrderedAsync");
  private static final Logger LEADER_CHANGES =
      Logger.getLogger("org.apache.ratis.server.RaftServer$Division");

  private RatisLogging() {}

  /** Applies the levels above, unless a logging configuration already set them. */
  public static void quiet() {
    if (RATIS.getLevel() == null) {
      RATIS.setLevel(Level.WARNING);
    }
    if (CLIENT_RETRIES.getLevel() == null) {
      CLIENT_RETRIES.setLevel(Level.OFF);
    }
    if (LEADER_CHANGES.getLevel() == null) {
      LEADER_CHANGES.setLevel(Level.INFO);
    }
  }
}
