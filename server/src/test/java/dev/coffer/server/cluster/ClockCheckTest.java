package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Which beacons say this node's clock is behind: behind more than half of the fresh peers by
 * more than the tolerance, never because of a peer ahead alone, its own beacon or a stale one.
 */
class ClockCheckTest {

  private static final Instant T = Instant.parse("2026-12-07T12:00:00Z");
  private final MutableClock here = new MutableClock(T);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final ClockCheck check =
      new ClockCheck("n0", Duration.ofMillis(500), here, nanos::get);

  /** The beacon node {@code id} sends when its clock reads {@code at}. */
  private static Changes beaconOf(String id, Instant at) {
    return new ClockCheck(id, Duration.ofMillis(500), new MutableClock(at), System::nanoTime)
        .beacon();
  }

  @Test
  void inStep_orWithinTheTolerance_serves() {
    check.observe(beaconOf("n1", T));
    check.observe(beaconOf("n2", T.plusMillis(500)));
    assertEquals("", check.behindReason());
    assertEquals(500, check.behindMillis());
  }

  @Test
  void behindEveryPeer_doesNotServe_andSaysByHowMuch() {
    check.observe(beaconOf("n1", T.plusMillis(2_000)));
    check.observe(beaconOf("n2", T.plusMillis(1_500)));
    assertEquals("this node's clock is at least 1500 ms behind 2 of its 2 peers' (at most 500 "
        + "ms allowed): expiry would come late here; put its clock right (NTP)",
        check.behindReason());
    assertEquals(2_000, check.behindMillis());
  }

  @Test
  void theToleranceIsTheOperators() {
    ClockCheck lenient = new ClockCheck("n0", Duration.ofSeconds(3), here, nanos::get);
    lenient.observe(beaconOf("n1", T.plusMillis(2_000)));
    assertEquals("", lenient.behindReason());
    lenient.observe(beaconOf("n1", T.plusMillis(3_001)));
    assertTrue(lenient.behindReason().contains("(at most 3000 ms allowed)"),
        lenient.behindReason());
  }

  @Test
  void onePeerAhead_isOutvoted_byThePeerInStep() {
    check.observe(beaconOf("n1", T.plusMillis(5_000)));
    check.observe(beaconOf("n2", T));
    assertEquals("", check.behindReason());
  }

  @Test
  void theOnlyPeerHeardFrom_decides() {
    check.observe(beaconOf("n1", T.plusMillis(600)));
    assertTrue(check.behindReason().startsWith("this node's clock is at least 600 ms behind 1 "
        + "of its 1 peers'"), check.behindReason());
  }

  @Test
  void aBeaconAppliedLate_looksAhead_neverBehind() {
    here.advance(Duration.ofSeconds(30)); // applied 30 s after it was read on n1
    check.observe(beaconOf("n1", T));
    assertEquals("", check.behindReason());
    assertEquals(0, check.behindMillis());
  }

  @Test
  void aStaleBeacon_stopsCounting_andTheNodeServesAgain() {
    check.observe(beaconOf("n1", T.plusMillis(2_000)));
    assertFalse(check.behindReason().isEmpty());
    nanos.addAndGet(ClockCheck.FRESH.toNanos() + 1);
    assertEquals("", check.refresh());
    assertEquals(0, check.behindMillis());
  }

  @Test
  void aNewerBeacon_replacesTheOlder() {
    check.observe(beaconOf("n1", T.plusMillis(2_000)));
    check.observe(beaconOf("n1", T));
    assertEquals("", check.behindReason());
  }

  @Test
  void itsOwnBeacon_andOtherKeys_areIgnored() {
    check.observe(beaconOf("n0", T.plusMillis(9_000)));
    check.observe(new Changes()
        .put(Table.META, "cluster-clock/n1".getBytes(StandardCharsets.UTF_8), new byte[3])
        .put(Table.INDEX, "cluster-clock/n2".getBytes(StandardCharsets.UTF_8), new byte[8])
        .delete(Table.META, "cluster-clock/n3".getBytes(StandardCharsets.UTF_8)));
    assertEquals("", check.refresh());
    assertEquals(0, check.behindMillis());
  }

  @Test
  void aBeacon_isTheNodesClockReading_underItsIdInMeta() {
    Changes beacon = new ClockCheck("n7", Duration.ofMillis(500), new MutableClock(T),
        System::nanoTime).beacon();
    assertEquals(1, beacon.list().size());
    Changes.Change put = beacon.list().get(0);
    assertEquals(Table.META, put.table());
    assertEquals("cluster-clock/n7", new String(put.key(), StandardCharsets.UTF_8));
    assertEquals(T.toEpochMilli(), java.nio.ByteBuffer.wrap(put.value()).getLong());
  }
}
