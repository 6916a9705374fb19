package dev.coffer.server.store.records;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tenants and their principals. Principal keys start with the tenant id. */
public final class TenantRepository {

  private final KvStore store;

  public TenantRepository(KvStore store) {
    this.store = store;
  }

  public Optional<Tenant> tenant(String tenantId) {
    return store.get(Table.TENANTS, Keys.builder().str(tenantId).build())
        .map(RecordCodec::tenant);
  }

  public void stage(Changes changes, Tenant tenant) {
    changes.put(Table.TENANTS, Keys.builder().str(tenant.tenantId()).build(),
        RecordCodec.encode(tenant));
  }

  /**
   * Makes {@code changes} apply only while the stored tenant is still {@code decidedOn}: a
   * write decided under a tenant's policy (a token for a person, a policy replacement)
   * never lands after a concurrent change of that policy. Compares the stored bytes, so a
   * record in an older format guards as well.
   *
   * @throws CofferException CONCURRENT_CHANGE if the tenant already differs (or is gone)
   */
  public void guard(Changes changes, Tenant decidedOn) {
    byte[] key = Keys.builder().str(decidedOn.tenantId()).build();
    Optional<byte[]> stored = store.get(Table.TENANTS, key);
    if (stored.isEmpty() || !RecordCodec.tenant(stored.get()).equals(decidedOn)) {
      throw new CofferException(Reason.CONCURRENT_CHANGE, "tenant " + decidedOn.tenantId()
          + " changed while this call was decided; retry it");
    }
    changes.expect(Table.TENANTS, key, stored.get());
  }

  public Optional<Principal> principal(String tenantId, String principalId) {
    return store.get(Table.PRINCIPALS, principalKey(tenantId, principalId))
        .map(RecordCodec::principal);
  }

  public void stage(Changes changes, Principal principal) {
    changes.put(Table.PRINCIPALS, principalKey(principal.tenantId(), principal.principalId()),
        RecordCodec.encode(principal));
  }

  public Page<Principal> principals(String tenantId, String pageToken, int pageSize) {
    return PageScanner.page(store, Table.PRINCIPALS, Keys.builder().str(tenantId).build(),
        pageToken, pageSize, kv -> Optional.of(RecordCodec.principal(kv.value())));
  }

  /**
   * Up to {@code limit} tenant ids in key order, strictly after {@code afterId} (null: from
   * the first): one range scan.
   */
  public List<String> tenantIds(String afterId, int limit) {
    byte[] after = afterId == null ? null : Keys.builder().str(afterId).build();
    List<String> ids = new ArrayList<>();
    for (KeyValue kv : store.scan(Table.TENANTS, new byte[0], after, limit)) {
      ids.add(Keys.reader(kv.key()).str());
    }
    return ids;
  }

  private static byte[] principalKey(String tenantId, String principalId) {
    return Keys.builder().str(tenantId).str(principalId).build();
  }
}
