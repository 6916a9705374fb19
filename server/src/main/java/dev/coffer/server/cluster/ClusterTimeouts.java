package dev.coffer.server.cluster;

import dev.coffer.server.config.ClusterConfig;

/**
 * The clocks of a cluster node: a follower that hears no leader for a random time between
 * {@code electionMinMillis} and {@code electionMaxMillis} starts an election, and a proposal
 * waits at most {@code proposeMillis} for a leader to take it and for this node to apply it;
 * a snapshot is taken every {@code snapshotEveryEntries} applied entries and the Raft log is
 * purged up to it.
 */
public record ClusterTimeouts(long electionMinMillis, long electionMaxMillis,
    long proposeMillis, long snapshotEveryEntries) {

  /**
   * The defaults: an election timeout of {@link ClusterConfig#DEFAULT_ELECTION_TIMEOUT_MILLIS}
   * (each wait drawn between it and twice it), a 30 s propose budget, a snapshot every 10,000
   * entries.
   */
  public static final ClusterTimeouts DEFAULTS =
      new ClusterTimeouts(ClusterConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS,
          2 * ClusterConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS, 30_000, 10_000);

  /**
   * These timeouts with an election timeout of {@code minMillis}: a follower's wait for its
   * leader is drawn between {@code minMillis} and twice it, Ratis's own ratio.
   */
  public ClusterTimeouts withElectionTimeout(long minMillis) {
    return new ClusterTimeouts(minMillis, 2 * minMillis, proposeMillis, snapshotEveryEntries);
  }

  public ClusterTimeouts {
    if (electionMinMillis < 50 || electionMaxMillis <= electionMinMillis
        || proposeMillis < 100 || snapshotEveryEntries < 1) {
      throw new IllegalArgumentException("cluster timeouts out of range");
    }
  }
}
