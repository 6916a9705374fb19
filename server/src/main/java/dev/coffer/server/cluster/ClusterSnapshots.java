package dev.coffer.server.cluster;

import dev.coffer.server.domain.CofferException;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;

/**
 * The Ratis settings under which a {@link CofferStateMachine} replica snapshots and trims its
 * Raft log; call {@link #configure} on the properties every node's server is built with.
 *
 * <p>Contract, after {@link #configure}: each node takes a snapshot (a RocksDB checkpoint, see
 * {@link CheckpointSnapshotStorage}) every {@code autoTriggerEntries} applied entries, and
 * then deletes every closed Raft log segment at or below the snapshot's index, even when a
 * follower has not replicated them yet: a follower that needs them receives the snapshot
 * instead (Ratis's snapshot transfer, on by default, is left on). Log segments close at
 * {@link #SEGMENT_SIZE_MAX}. A manual snapshot request ({@code coffer cluster snapshot},
 * crypto-shredding) is honoured once at least one entry applied since the last snapshot.
 *
 * <p>Security: this bounds how long a deleted value survives in the Raft log: until its
 * segment closes and a snapshot at or above it is taken (the store itself is purged by
 * {@code KvStore#purge}, and the snapshots hold only the latest checkpoint).
 */
public final class ClusterSnapshots {

  /** The Raft log segment size: a segment closes, and can be purged, beyond it. */
  public static final SizeInBytes SEGMENT_SIZE_MAX = SizeInBytes.valueOf("4MB");

  private ClusterSnapshots() {}

  /**
   * Enables snapshots every {@code autoTriggerEntries} entries and the purge of the log up to
   * each snapshot's index.
   *
   * @throws CofferException INVALID_ARGUMENT on {@code snapshot_auto_trigger_entries} if it
   *     is below 1
   */
  public static RaftProperties configure(RaftProperties properties, long autoTriggerEntries) {
    if (autoTriggerEntries < 1) {
      throw CofferException.invalid("snapshot_auto_trigger_entries", "must be at least 1");
    }
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, autoTriggerEntries);
    RaftServerConfigKeys.Snapshot.setCreationGap(properties, 1);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 1);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SEGMENT_SIZE_MAX);
    return properties;
  }
}
