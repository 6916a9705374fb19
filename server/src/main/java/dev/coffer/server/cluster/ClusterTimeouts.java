package dev.coffer.server.cluster;

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
   * One to two seconds before an election: long enough that a busy machine does not depose a
   * healthy leader, short enough that a killed leader is replaced within about three seconds.
   */
  public static final ClusterTimeouts DEFAULTS = new ClusterTimeouts(1_000, 2_000, 30_000, 10_000);

  public ClusterTimeouts {
    if (electionMinMillis < 50 || electionMaxMillis <= electionMinMillis
        || proposeMillis < 100 || snapshotEveryEntries < 1) {
      throw new IllegalArgumentException("cluster timeouts out of range");
    }
  }
}
