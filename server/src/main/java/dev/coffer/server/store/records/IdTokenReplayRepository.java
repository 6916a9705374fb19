package dev.coffer.server.store.records;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.time.Instant;
import java.util.List;

/**
 * The replay cache of people's ID tokens exchanged at sign-in, as
 * {@link AssertionReplayRepository} is for client assertions: which token (by a digest of its
 * {@code jti}, or of the whole token when it has none) each trusted issuer of a tenant has
 * had exchanged, until the token's expiry plus the issuer's clock skew. Two index entries per
 * token, written in the batch that issues the Coffer token: {@code (tenant, issuer, digest,
 * expiry)} to answer "seen?" with one range scan, and a {@link DueIndex} entry ordered by
 * expiry so that {@link #purgeExpired} removes what has lapsed.
 *
 * <p>Keys hold a fixed-length digest, never the token or a caller-chosen string.
 */
public final class IdTokenReplayRepository {

  private static final String SEEN = "id-token";
  private static final String DUE = "id-token-exp";
  private static final String ALL_TENANTS = "";

  private final KvStore store;

  public IdTokenReplayRepository(KvStore store) {
    this.store = store;
  }

  /** Whether the token of this digest was exchanged with {@code issuerId} of the tenant. */
  public boolean seen(String tenantId, String issuerId, String digest) {
    return !store.scan(Table.INDEX, seenPrefix(tenantId, issuerId, digest), null, 1).isEmpty();
  }

  /** Stages "seen until {@code until}" for the token of this digest. */
  public void stage(Changes changes, String tenantId, String issuerId, String digest,
      Instant until) {
    byte[] seen = Keys.builder().raw(seenPrefix(tenantId, issuerId, digest))
        .u64(until.toEpochMilli()).build();
    // Guarded on absence: two nodes exchanging the same ID token at once cannot both commit
    // (the same token gives the same key); the second gets CONCURRENT_CHANGE.
    changes.expect(Table.INDEX, seen, null).put(Table.INDEX, seen, new byte[0]);
    changes.put(Table.INDEX, DueIndex.key(DUE, ALL_TENANTS, until,
        tenantId + "/" + issuerId + "/" + digest), new byte[0]);
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

  private static byte[] seenPrefix(String tenantId, String issuerId, String digest) {
    return Keys.builder().str(SEEN).str(tenantId).str(issuerId).str(digest).build();
  }
}
