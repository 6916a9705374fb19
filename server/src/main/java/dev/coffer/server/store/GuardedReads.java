package dev.coffer.server.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the work this thread runs (one gRPC call, one run of a background job) has read, so that
 * its writes can be guarded by it. A commit made {@link #within} such work expects every key it
 * writes that the work read to still hold the bytes read then, or to be absent still: a
 * read-modify-write that raced another one on another node of a cluster then fails with
 * CONCURRENT_CHANGE, changing nothing, instead of overwriting it (an access request approved
 * on one node and denied on another; a secret deleted on one and revoked on another; one
 * application name taken on two). A single node serialises those with locks in its own
 * process; a cluster node's locks do not reach the other nodes, so a cluster node's store
 * records reads ({@link #got}, {@link #scanned}) and guards its commits ({@link #guard}).
 *
 * <p>Rules: the first read of a key is the one kept (the one the work decided on); a key read
 * absent by a scan that started at it (an existence check) counts as read absent; keys the work
 * only wrote, or only read, are not guarded. At most {@link #MAX_KEYS} keys are recorded (a
 * scan that would pass that is not recorded at all), so work that reads a whole table (an audit
 * chain verification, a statistics sweep) holds none of it; no read-modify-write reads that
 * much. After a commit succeeds the keys it wrote hold its
 * bytes, and after one fails they are forgotten ({@link #tracking}), so a retry
 * that reads again is guarded by what it reads then.
 *
 * <p>Contract: confined to the thread that runs {@link #within}, and gone when the work returns
 * or throws; nested work shares the outer record; without it nothing is recorded or guarded.
 * Security: holds references to stored bytes (they may be wrapped keys) and never prints them;
 * it has no {@code toString} that shows keys or values.
 */
public final class GuardedReads {

  private static final ThreadLocal<GuardedReads> CURRENT = new ThreadLocal<>();
  private static final byte[] ABSENT = new byte[0]; // compared by identity
  /** Keys recorded at most per piece of work, so a scan of a whole table keeps none of it. */
  static final int MAX_KEYS = 4096;

  private record TableKey(Table table, ByteBuffer key) {

    static TableKey of(Table table, byte[] key) {
      return new TableKey(table, ByteBuffer.wrap(key.clone()));
    }
  }

  private final Map<TableKey, byte[]> read = new HashMap<>();

  private GuardedReads() {}

  /** Runs {@code work} on this thread with its reads recorded and its commits guarded. */
  public static <T> T within(Supplier<T> work) {
    if (CURRENT.get() != null) {
      return work.get();
    }
    CURRENT.set(new GuardedReads());
    try {
      return work.get();
    } finally {
      CURRENT.remove();
    }
  }

  /** As {@link #within}, for work without a result. */
  public static void run(Runnable work) {
    within(() -> {
      work.run();
      return null;
    });
  }

  /** Whether this thread runs work {@link #within}. */
  public static boolean active() {
    return CURRENT.get() != null;
  }

  /** Notes a point read of {@code table[key]} that found {@code value}. */
  public static void got(Table table, byte[] key, Optional<byte[]> value) {
    GuardedReads reads = CURRENT.get();
    if (reads != null && reads.read.size() < MAX_KEYS) {
      reads.read.putIfAbsent(TableKey.of(table, key), value.orElse(ABSENT));
    }
  }

  /**
   * Notes a scan: each entry it returned counts as read, and when it started at its prefix, the
   * prefix itself as a key was read absent unless it came first.
   */
  public static void scanned(Table table, byte[] prefix, byte[] startAfter, int limit,
      List<KeyValue> found) {
    GuardedReads reads = CURRENT.get();
    if (reads == null || reads.read.size() + found.size() + 1 > MAX_KEYS) {
      return;
    }
    for (KeyValue kv : found) {
      reads.read.putIfAbsent(TableKey.of(table, kv.key()), kv.value());
    }
    if (startAfter == null && limit > 0
        && (found.isEmpty() || !Arrays.equals(found.get(0).key(), prefix))) {
      reads.read.putIfAbsent(TableKey.of(table, prefix), ABSENT);
    }
  }

  /**
   * Adds to {@code changes} an expectation for every key it writes that this thread's work has
   * read and that it does not already guard.
   */
  public static void guard(Changes changes) {
    GuardedReads reads = CURRENT.get();
    if (reads == null || changes.isEmpty()) {
      return;
    }
    Map<TableKey, Boolean> guarded = new HashMap<>();
    for (Changes.Expectation e : changes.expectations()) {
      guarded.put(TableKey.of(e.table(), e.key()), Boolean.TRUE);
    }
    for (Changes.Change c : changes.list()) {
      TableKey key = TableKey.of(c.table(), c.key());
      byte[] seen = reads.read.get(key);
      if (seen != null && guarded.put(key, Boolean.TRUE) == null) {
        changes.expect(c.table(), c.key(), seen == ABSENT ? null : seen);
      }
    }
  }

  /**
   * Runs {@code commit}, which commits {@code changes}; then the keys it wrote hold what it
   * wrote, or, when it throws, what was read of them is forgotten.
   */
  public static void tracking(Changes changes, Runnable commit) {
    try {
      commit.run();
    } catch (RuntimeException e) {
      forget(changes);
      throw e;
    }
    GuardedReads reads = CURRENT.get();
    if (reads != null) {
      for (Changes.Change c : changes.list()) {
        reads.read.put(TableKey.of(c.table(), c.key()), c.isDelete() ? ABSENT : c.value());
      }
    }
  }

  private static void forget(Changes changes) {
    GuardedReads reads = CURRENT.get();
    if (reads != null) {
      for (Changes.Change c : changes.list()) {
        reads.read.remove(TableKey.of(c.table(), c.key()));
      }
    }
  }
}
