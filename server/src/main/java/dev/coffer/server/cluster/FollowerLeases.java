package dev.coffer.server.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The read leases this node granted while it led, and the rule they put on acknowledging a
 * write, in a group created with read leases (see {@code docs/cluster-design.md}, "Read
 * leases").
 *
 * <p>A follower holding a lease serves reads without asking the leader, for
 * {@link ReadLease#DURATION_NANOS} from the moment it <em>sent</em> its request, on its own
 * clock. This node records each grant for {@link #HOLD_NANOS} from when it granted it, on its
 * clock: longer, so the record outlives the follower's use of it even when the two clocks run at
 * rates up to a quarter apart. The rule that makes every such read see every write acknowledged
 * before it began: <b>no write is acknowledged before every follower whose lease may still be
 * in use has committed it</b>
 * ({@link #acknowledgeable}); a follower whose lease lapsed is waited for no longer. A new
 * leader knows nothing of its predecessor's grants, but each was granted after a majority
 * confirmed that predecessor (Ratis ReadIndex), so before this node's election; a new leader
 * therefore acknowledges nothing for {@link #HOLD_NANOS} after it learnt it leads, by which time
 * all of them have lapsed. A node that no longer leads acknowledges its writes only once all
 * its own grants have lapsed. What this does not give is linearizability: a write is visible
 * where it is applied before the gate passes, so a read elsewhere may show a write in flight
 * that a later read on a lagging leaseholder misses.
 *
 * <p>Thread-safe. Holds peer ids and monotonic times only.
 */
final class FollowerLeases {

  /** How long this node honours a grant after making it. */
  static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final LongSupplier nanoTime;
  private final Map<String, Long> expiries = new HashMap<>(); // guarded by this: peer -> nanos
  private long ledTerm = -1; // guarded by this
  private long ledSince; // guarded by this: when this node learnt it leads ledTerm

  FollowerLeases(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Records that this node, leading, granted {@code peer} a lease now. */
  synchronized void granted(String peer) {
    expiries.put(peer, nanoTime.getAsLong() + HOLD_NANOS);
  }

  /**
   * Records that this node leads {@code term}: the first call for a term starts its
   * {@link #HOLD_NANOS} of acknowledging nothing; later calls for the same term change nothing.
   */
  synchronized void leads(long term) {
    if (term != ledTerm) {
      ledTerm = term;
      ledSince = nanoTime.getAsLong();
    }
  }

  /**
   * The highest log index a write may be acknowledged at now: {@link Long#MAX_VALUE} when no
   * lease binds, -1 when none may be.
   *
   * @param leadingTerm the term this node leads now, or -1 when it does not lead
   * @param commits each peer's commit index as this node (the leader) last heard it
   */
  synchronized long acknowledgeable(long leadingTerm, Map<String, Long> commits) {
    long now = nanoTime.getAsLong();
    expiries.values().removeIf(expiry -> expiry - now <= 0);
    if (leadingTerm < 0) {
      return expiries.isEmpty() ? Long.MAX_VALUE : -1;
    }
    leads(leadingTerm);
    if (now - ledSince < HOLD_NANOS) {
      return -1;
    }
    long lowest = Long.MAX_VALUE;
    for (String peer : expiries.keySet()) {
      lowest = Math.min(lowest, commits.getOrDefault(peer, -1L));
    }
    return lowest;
  }

  /** Whether some grant may still be in use (so {@link #acknowledgeable} needs the commits). */
  synchronized boolean anyLive() {
    long now = nanoTime.getAsLong();
    expiries.values().removeIf(expiry -> expiry - now <= 0);
    return !expiries.isEmpty();
  }

  /** Whether this node has led {@code term} for at least {@link #HOLD_NANOS}. */
  synchronized boolean settled(long term) {
    leads(term);
    return nanoTime.getAsLong() - ledSince >= HOLD_NANOS;
  }
}
