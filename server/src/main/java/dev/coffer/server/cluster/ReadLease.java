package dev.coffer.server.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A follower's read lease: while it holds one, it serves a read once it has applied every
 * entry it knows committed and the index the leader named in the grant, without asking the
 * leader; the read sees every write acknowledged before it began ({@link FollowerLeases}: the
 * leader's side, the rule that makes this hold, and what it does not give).
 *
 * <p>A lease runs for {@link #DURATION_NANOS} from when its request was <em>sent</em>, on this
 * node's monotonic clock, and only within the term it was requested in: a new leader ends it
 * here at once (it would be safe until it lapses, but a node that saw leadership move asks
 * again rather than lean on its predecessor's grant).
 *
 * <p>Thread-safe. Holds times and indices only.
 */
final class ReadLease {

  /** How long a grant serves reads here, from when it was asked for. */
  static final long DURATION_NANOS = TimeUnit.MILLISECONDS.toNanos(400);

  /** How often a follower asks again: four times a lease, so one lost request costs nothing. */
  static final long RENEW_MILLIS = 100;

  private record Grant(long sentNanos, long term, long readIndex) {}

  private final LongSupplier nanoTime;
  private volatile Grant grant;

  ReadLease(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Records a grant asked for at {@code sentNanos} in {@code term}, whose reads must have
   * applied {@code readIndex}; an older request's grant arriving late changes nothing.
   */
  synchronized void granted(long sentNanos, long term, long readIndex) {
    Grant held = grant;
    if (held == null || sentNanos - held.sentNanos() > 0) {
      grant = new Grant(sentNanos, term, readIndex);
    }
  }

  /** Ends the lease here (this node leads, or stopped following). */
  void drop() {
    grant = null;
  }

  /**
   * The index a read now must have applied beyond what this node knows committed, or -1 when
   * no lease serves {@code term} now.
   */
  long readIndex(long term) {
    Grant held = grant;
    if (held == null || held.term() != term
        || nanoTime.getAsLong() - held.sentNanos() >= DURATION_NANOS) {
      return -1;
    }
    return held.readIndex();
  }
}
