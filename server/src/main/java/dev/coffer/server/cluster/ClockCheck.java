package dev.coffer.server.cluster;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Finds a node whose wall clock runs behind its peers'. Expiry (of secrets, grants, tokens,
 * sessions) is decided with the clock of the node that serves the call, so a node whose clock
 * is behind would go on accepting, for as long as it is behind, what every other node already
 * refuses: an expired grant would still reveal through it.
 *
 * <p>Every node proposes, every {@link #PERIOD}, a beacon: its clock's reading, written to
 * {@code META} under {@code cluster-clock/<node id>}. Every replica, applying a peer's beacon,
 * compares it with its own clock. A beacon read at {@code t} on the peer cannot be applied here
 * before {@code t}, so a reading here below {@code t} means this clock is behind the peer's by
 * at least the difference; replication delays only hide a gap, never invent one. A node that
 * is behind more than half of the peers it heard from within {@link #FRESH} by more than the
 * tolerance ({@code --cluster-max-clock-behind-ms}, 500 ms by default) does not serve (health
 * NOT_SERVING, every call UNAVAILABLE) until its clock is put right. One peer whose clock runs
 * ahead is outvoted, so it never stops the others; a clock ahead only makes its node refuse
 * earlier.
 *
 * <p>Security: a beacon holds a node id and a time. Thread-safe.
 */
public final class ClockCheck {

  /** How often each node proposes a beacon. */
  public static final Duration PERIOD = Duration.ofSeconds(2);
  /** How long a peer's beacon counts. */
  static final Duration FRESH = PERIOD.multipliedBy(3);

  private static final String KEY_PREFIX = "cluster-clock/";
  private static final byte[] PREFIX = KEY_PREFIX.getBytes(StandardCharsets.UTF_8);

  private final String self;
  private final long maxBehindMillis;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Map<String, long[]> gaps = new ConcurrentHashMap<>(); // peer: {ms, nanos seen}
  private volatile String reason = "";

  /**
   * @param maxBehind how far this clock may be behind most peers' and still serve
   *     ({@code --cluster-max-clock-behind-ms})
   */
  ClockCheck(String self, Duration maxBehind, Clock clock, LongSupplier nanoTime) {
    this.self = self;
    this.maxBehindMillis = maxBehind.toMillis();
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** This node's beacon, read from its clock now. */
  Changes beacon() {
    return new Changes().put(Table.META, (KEY_PREFIX + self).getBytes(StandardCharsets.UTF_8),
        ByteBuffer.allocate(Long.BYTES).putLong(clock.millis()).array());
  }

  /** Compares the peers' beacons among {@code applied} (one applied entry) with this clock. */
  void observe(Changes applied) {
    boolean seen = false;
    for (Changes.Change c : applied.list()) {
      if (c.isDelete() || c.table() != Table.META || !isBeacon(c.key())
          || c.value().length != Long.BYTES) {
        continue;
      }
      String peer = new String(c.key(), PREFIX.length, c.key().length - PREFIX.length,
          StandardCharsets.UTF_8);
      if (!peer.equals(self)) {
        long behind = ByteBuffer.wrap(c.value()).getLong() - clock.millis();
        gaps.put(peer, new long[] {behind, nanoTime.getAsLong()});
        seen = true;
      }
    }
    if (seen) {
      refresh();
    }
  }

  /** Why this node does not serve because of its clock, or empty. */
  String behindReason() {
    return reason;
  }

  /** Recomputes {@link #behindReason} from the fresh beacons, and returns it. */
  String refresh() {
    long[] fresh = freshGaps();
    int behind = 0;
    long least = Long.MAX_VALUE;
    for (long gap : fresh) {
      if (gap > maxBehindMillis) {
        behind++;
        least = Math.min(least, gap);
      }
    }
    reason = fresh.length > 0 && 2 * behind > fresh.length
        ? "this node's clock is at least " + least + " ms behind " + behind + " of its "
            + fresh.length + " peers' (at most " + maxBehindMillis + " ms allowed): expiry "
            + "would come late here; put its clock right (NTP)"
        : "";
    return reason;
  }

  /**
   * The most this clock is known to be behind a fresh peer's, in milliseconds; 0 when it is
   * behind none.
   */
  long behindMillis() {
    return Math.max(0, Arrays.stream(freshGaps()).max().orElse(0));
  }

  /** How far this clock is behind each peer heard from within {@link #FRESH}, in ms. */
  private long[] freshGaps() {
    long now = nanoTime.getAsLong();
    return gaps.values().stream().filter(gap -> now - gap[1] <= FRESH.toNanos())
        .mapToLong(gap -> gap[0]).toArray();
  }

  private static boolean isBeacon(byte[] key) {
    return key.length > PREFIX.length
        && Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
  }
}
