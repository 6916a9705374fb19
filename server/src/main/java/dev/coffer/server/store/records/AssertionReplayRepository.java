package dev.coffer.server.store.records;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.time.Instant;
import java.util.List;

/**
 * The replay cache of client assertions: which {@code jti} each client has presented, until
 * the assertion's expiry. Two index entries per assertion, written in the batch that records
 * the accepted assertion: {@code (jti, tenant, client, jti digest, expiry)} to answer "seen?"
 * with one range scan, and a {@link DueIndex} entry ordered by expiry so that
 * {@link #purgeExpired} removes what has lapsed at a cost that follows what lapsed.
 *
 * <p>Keys hold a digest of the jti (fixed length, no caller-chosen bytes), never the
 * assertion.
 */
public final class AssertionReplayRepository {

  private static final String SEEN = "jti";
  private static final String DUE = "jti-exp";
  /** The due queue is global (one purge for every tenant), so its "tenant" segment is empty. */
  private static final String ALL_TENANTS = "";

  private final KvStore store;

  public AssertionReplayRepository(KvStore store) {
    this.store = store;
  }

  /** Whether {@code clientId} of {@code tenantId} presented the jti of this digest before. */
  public boolean seen(String tenantId, String clientId, String jtiDigest) {
    return !store.scan(Table.INDEX, seenPrefix(tenantId, clientId, jtiDigest), null, 1)
        .isEmpty();
  }

  /** Stages "seen until {@code until}" for the jti of this digest. */
  public void stage(Changes changes, String tenantId, String clientId, String jtiDigest,
      Instant until) {
    changes.put(Table.INDEX, Keys.builder().raw(seenPrefix(tenantId, clientId, jtiDigest))
        .u64(until.toEpochMilli()).build(), new byte[0]);
    changes.put(Table.INDEX, DueIndex.key(DUE, ALL_TENANTS, until,
        tenantId + "/" + clientId + "/" + jtiDigest), new byte[0]);
  }

  /**
   * Removes up to {@code limit} entries that lapsed at or before {@code now}, in one batch.
   *
   * @return how many were removed
   */
  public int purgeExpired(Instant now, int limit) {
    List<DueIndex.Due> due = DueIndex.due(store, DUE, ALL_TENANTS, Instant.EPOCH, null, now,
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

  private static byte[] seenPrefix(String tenantId, String clientId, String jtiDigest) {
    return Keys.builder().str(SEEN).str(tenantId).str(clientId).str(jtiDigest).build();
  }
}
