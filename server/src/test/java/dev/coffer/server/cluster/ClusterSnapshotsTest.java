package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** The Ratis settings a snapshotting replica runs with. */
class ClusterSnapshotsTest {

  @Test
  void configureEnablesSnapshotsEveryNEntriesAndThePurgeUpToThem() {
    RaftProperties properties = new RaftProperties();
    assertFalse(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(properties));

    ClusterSnapshots.configure(properties, 5_000);

    assertTrue(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(properties));
    assertEquals(5_000, RaftServerConfigKeys.Snapshot.autoTriggerThreshold(properties));
    assertEquals(1, RaftServerConfigKeys.Snapshot.creationGap(properties));
    assertTrue(RaftServerConfigKeys.Log.purgeUptoSnapshotIndex(properties));
    assertEquals(1, RaftServerConfigKeys.Log.purgeGap(properties));
    assertEquals(ClusterSnapshots.SEGMENT_SIZE_MAX,
        RaftServerConfigKeys.Log.segmentSizeMax(properties));
    assertTrue(RaftServerConfigKeys.Log.Appender.installSnapshotEnabled(properties),
        "followers behind the purge receive the snapshot");
  }

  @Test
  void aThresholdBelowOneIsRefusedNamingTheField() {
    for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
      RaftProperties properties = new RaftProperties();
      CofferException e = assertThrows(CofferException.class,
          () -> ClusterSnapshots.configure(properties, bad));
      assertEquals(Reason.INVALID_FIELD, e.reason());
      assertEquals("snapshot_auto_trigger_entries", e.violations().get(0).field());
      assertFalse(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(properties), "nothing set");
    }
  }
}
