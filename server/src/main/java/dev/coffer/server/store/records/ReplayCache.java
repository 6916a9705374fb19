package dev.coffer.server.store.records;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.time.Instant;
import java.util.List;

/**
 * A replay cache of one kind of presented token: which token (by a fixed-length digest, never
 * the token or a caller-chosen string) each party of a tenant has presented, until the token's
 * expiry. Two index entries per token, written in the batch that accepts it: {@code (kind,
 * tenant, party, digest, expiry)} to answer "seen?" with one range scan, guarded on absence so
 * that two batches accepting the same token (two cluster nodes, whose locks are their own)
 * cannot both commit (the second gets CONCURRENT_CHANGE); and a {@link DueIndex} entry ordered
 * by expiry, so that {@link #purgeExpired} removes what lapsed at a cost that follows what
 * lapsed. The due queue is global (one purge for every tenant).
 */
public abstract class ReplayCache {

  private static final String ALL_TENANTS = "";

  private final KvStore store;
  private final String seenKind;
  private final String dueKind;

  ReplayCache(KvStore store, String seenKind, String dueKind) {
    this.store = store;
    this.seenKind = seenKind;
    this.dueKind = dueKind;
  }

  /** Whether {@code party} of {@code tenantId} presented the token of this digest before. */
  public boolean seen(String tenantId, String party, String digest) {
    return !store.scan(Table.INDEX, seenPrefix(tenantId, party, digest), null, 1).isEmpty();
  }

  /** Stages "seen until {@code until}" for the token of this digest, guarded on absence. */
  public void stage(Changes changes, String tenantId, String party, String digest,
      Instant until) {
    byte[] seen = Keys.builder().raw(seenPrefix(tenantId, party, digest))
        .u64(until.toEpochMilli()).build();
    changes.expect(Table.INDEX, seen, null).put(Table.INDEX, seen, new byte[0]);
    changes.put(Table.INDEX, DueIndex.key(dueKind, ALL_TENANTS, until,
        tenantId + "/" + party + "/" + digest), new byte[0]);
  }

  /**
   * Removes up to {@code limit} entries that lapsed at or before {@code now}, in one batch.
   *
   * @return how many were removed
   */
  public int purgeExpired(Instant now, int limit) {
    List<DueIndex.Due> due = DueIndex.due(store, dueKind, ALL_TENANTS, Instant.EPOCH, null, now,
        limit);
    if (due.isEmpty()) {
      return 0;
    }
    Changes changes = new Changes();
    for (DueIndex.Due d : due) {
      String[] parts = d.id().split("/", 3);
      changes.delete(Table.INDEX, d.position());
      if (parts.length == 3) {
        changes.delete(Table.INDEX, Keys.builder().raw(seenPrefix(parts[0], parts[1], parts[2]))
            .u64(d.at().toEpochMilli()).build());
      }
    }
    store.commit(changes);
    return due.size();
  }

  private byte[] seenPrefix(String tenantId, String party, String digest) {
    return Keys.builder().str(seenKind).str(tenantId).str(party).str(digest).build();
  }
}
