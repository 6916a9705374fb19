package dev.coffer.server.store.records;

import dev.coffer.server.domain.Grant;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grants by tenant and id, with indexes kept in the same batch: by secret (for the
 * owner's listing and rotation), by grantee and secret (for the read check and the
 * grantee's listing), and, while not revoked, by expiration time (for lifecycle
 * notifications, read as a {@link DueIndex}). Every listing is O(page).
 */
public final class GrantRepository {

  private static final String BY_SECRET = "grant-sec";
  private static final String BY_GRANTEE = "grant-who";
  private static final String BY_EXPIRY = "grant-exp";

  private final KvStore store;

  public GrantRepository(KvStore store) {
    this.store = store;
  }

  public Optional<Grant> get(String tenantId, String grantId) {
    return store.get(Table.GRANTS, key(tenantId, grantId)).map(RecordCodec::grant);
  }

  /** Stages the grant and its index entries (indexed fields never change). */
  public void stage(Changes changes, Grant g) {
    changes.put(Table.GRANTS, key(g.tenantId(), g.grantId()), RecordCodec.encode(g));
    changes.put(Table.INDEX, Keys.builder().raw(bySecret(g.tenantId(), g.secretId()))
        .str(g.grantId()).build(), new byte[0]);
    changes.put(Table.INDEX, Keys.builder().raw(byGrantee(g.tenantId(), g.grantee(),
        g.secretId())).str(g.grantId()).build(), new byte[0]);
    byte[] expiry = DueIndex.key(BY_EXPIRY, g.tenantId(), g.expireTime(), g.grantId());
    if (g.revokeTime() == null) {
      changes.put(Table.INDEX, expiry, new byte[0]);
    } else {
      changes.delete(Table.INDEX, expiry);
    }
  }

  /** Expiry index entries of unrevoked grants due in {@code (fromExclusive, until]}. */
  public List<DueIndex.Due> dueByExpiry(String tenantId, Instant fromExclusive,
      DueIndex.Due after, Instant until, int limit) {
    return DueIndex.due(store, BY_EXPIRY, tenantId, fromExclusive, after, until, limit);
  }

  /** Up to {@code limit} grants {@code grantee} holds on one secret, in any state. */
  public List<Grant> held(String tenantId, String grantee, String secretId, int limit) {
    return resolveAll(tenantId, store.scan(Table.INDEX, byGrantee(tenantId, grantee, secretId),
        null, limit));
  }

  /** Up to {@code limit} grants on one secret, in any state. */
  public List<Grant> onSecret(String tenantId, String secretId, int limit) {
    return resolveAll(tenantId, store.scan(Table.INDEX, bySecret(tenantId, secretId), null,
        limit));
  }

  public Page<Grant> listOnSecret(String tenantId, String secretId, String pageToken, int size) {
    return PageScanner.page(store, Table.INDEX, bySecret(tenantId, secretId), pageToken, size,
        kv -> get(tenantId, lastString(kv.key())));
  }

  public Page<Grant> listHeldBy(String tenantId, String grantee, String pageToken, int size) {
    byte[] prefix = Keys.builder().str(BY_GRANTEE).str(tenantId).str(grantee).build();
    return PageScanner.page(store, Table.INDEX, prefix, pageToken, size,
        kv -> get(tenantId, lastString(kv.key())));
  }

  private List<Grant> resolveAll(String tenantId, List<KeyValue> entries) {
    List<Grant> grants = new ArrayList<>(entries.size());
    for (KeyValue kv : entries) {
      get(tenantId, lastString(kv.key())).ifPresent(grants::add);
    }
    return grants;
  }

  private static byte[] bySecret(String tenantId, String secretId) {
    return Keys.builder().str(BY_SECRET).str(tenantId).str(secretId).build();
  }

  private static byte[] byGrantee(String tenantId, String grantee, String secretId) {
    return Keys.builder().str(BY_GRANTEE).str(tenantId).str(grantee).str(secretId).build();
  }

  private static byte[] key(String tenantId, String grantId) {
    return Keys.builder().str(tenantId).str(grantId).build();
  }

  /** The last string segment of a key whose segments are all strings. */
  static String lastString(byte[] key) {
    Keys.Reader r = Keys.reader(key);
    String last = "";
    while (r.hasRemaining()) {
      last = r.str();
    }
    return last;
  }
}
