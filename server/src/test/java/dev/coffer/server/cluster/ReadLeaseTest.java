package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A follower's lease: counted from when it was asked for, only in the term it was asked in,
 * never replaced by an older request's late grant, ended by {@code drop}.
 */
class ReadLeaseTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final AtomicLong nanos = new AtomicLong(9_000 * MS);
  private final ReadLease lease = new ReadLease(nanos::get);

  @Test
  void noGrant_noLease() {
    assertEquals(-1, lease.readIndex(1));
  }

  @Test
  void aGrant_servesFromItsRequestUntilItsDurationEnds() {
    long sent = nanos.get();
    nanos.addAndGet(50 * MS); // the reply took 50 ms
    lease.granted(sent, 2, 41);
    assertEquals(41, lease.readIndex(2));
    nanos.set(sent + ReadLease.DURATION_NANOS - 1);
    assertEquals(41, lease.readIndex(2));
    nanos.set(sent + ReadLease.DURATION_NANOS);
    assertEquals(-1, lease.readIndex(2), "counted from the request, not the reply");
  }

  @Test
  void aGrant_servesOnlyItsTerm() {
    lease.granted(nanos.get(), 2, 41);
    assertEquals(-1, lease.readIndex(3));
  }

  @Test
  void anOlderRequestsLateGrant_changesNothing() {
    long first = nanos.get();
    long second = first + 100 * MS;
    lease.granted(second, 2, 50);
    lease.granted(first, 2, 40);
    nanos.set(first + ReadLease.DURATION_NANOS + 10 * MS);
    assertEquals(50, lease.readIndex(2));
  }

  @Test
  void drop_endsTheLease() {
    lease.granted(nanos.get(), 2, 41);
    lease.drop();
    assertEquals(-1, lease.readIndex(2));
  }
}
