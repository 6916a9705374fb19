package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The rule read leases put on acknowledging a write: a new leader acknowledges nothing until
 * its predecessor's grants have lapsed, a leader waits for every follower whose lease may be in
 * use (and only for those), and a node that stopped leading waits until its own grants lapse.
 */
class FollowerLeasesTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final AtomicLong nanos = new AtomicLong(5_000 * MS);
  private final FollowerLeases leases = new FollowerLeases(nanos::get);

  private void after(long millis) {
    nanos.addAndGet(millis * MS);
  }

  @Test
  void aNewLeader_acknowledgesNothingUntilEveryEarlierGrantHasLapsed() {
    leases.leads(3);
    assertEquals(-1, leases.acknowledgeable(3, Map.of()));
    assertFalse(leases.settled(3));
    after(FollowerLeases.HOLD_NANOS / MS - 1);
    assertEquals(-1, leases.acknowledgeable(3, Map.of()));
    after(1);
    assertEquals(Long.MAX_VALUE, leases.acknowledgeable(3, Map.of()));
    assertTrue(leases.settled(3));
  }

  @Test
  void aLeaderElectedAgainInALaterTerm_waitsAgain() {
    leases.leads(3);
    after(1_000);
    assertTrue(leases.settled(3));
    assertEquals(-1, leases.acknowledgeable(4, Map.of()), "term 4 is a new leadership");
  }

  @Test
  void aLeader_waitsForEveryFollowerHoldingALease_andOnlyForThem() {
    leases.leads(1);
    after(1_000);
    leases.granted("n1");
    leases.granted("n2");
    assertTrue(leases.anyLive());
    assertEquals(7, leases.acknowledgeable(1, Map.of("n1", 9L, "n2", 7L, "n3", 2L)),
        "n3 holds no lease: its commit index does not count");
    assertEquals(-1, leases.acknowledgeable(1, Map.of("n1", 9L)),
        "a holder whose commit index is unknown blocks every write");
  }

  @Test
  void aHolderThatStoppedRenewing_isWaitedForUntilItsGrantLapses() {
    leases.leads(1);
    after(1_000);
    leases.granted("n1");
    after(FollowerLeases.HOLD_NANOS / MS - 1);
    assertEquals(4, leases.acknowledgeable(1, Map.of("n1", 4L)));
    after(1);
    assertEquals(Long.MAX_VALUE, leases.acknowledgeable(1, Map.of("n1", 4L)));
    assertFalse(leases.anyLive());
  }

  @Test
  void aRenewal_extendsTheHold() {
    leases.leads(1);
    after(1_000);
    leases.granted("n1");
    after(300);
    leases.granted("n1");
    after(300);
    assertEquals(4, leases.acknowledgeable(1, Map.of("n1", 4L)));
  }

  @Test
  void aNodeThatStoppedLeading_acknowledgesOnlyOnceItsOwnGrantsLapsed() {
    assertEquals(Long.MAX_VALUE, leases.acknowledgeable(-1, Map.of()),
        "a node that never granted a lease binds nothing");
    leases.leads(1);
    after(1_000);
    leases.granted("n1");
    after(100);
    assertEquals(-1, leases.acknowledgeable(-1, Map.of("n1", 1_000L)),
        "it no longer hears the follower's commits: only the lapse frees the write");
    after(FollowerLeases.HOLD_NANOS / MS);
    assertEquals(Long.MAX_VALUE, leases.acknowledgeable(-1, Map.of()));
  }

  @Test
  void theLeadersHold_outlastsTheFollowersUseOfItsLease() {
    assertTrue(FollowerLeases.HOLD_NANOS >= ReadLease.DURATION_NANOS * 5 / 4,
        "a quarter's margin for clock rates");
    assertTrue(ReadLease.DURATION_NANOS >= 3 * TimeUnit.MILLISECONDS.toNanos(
        ReadLease.RENEW_MILLIS), "a lost renewal must not end a lease");
  }
}
