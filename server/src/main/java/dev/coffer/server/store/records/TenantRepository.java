package dev.coffer.server.store.records;

import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.Table;
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

  private static byte[] principalKey(String tenantId, String principalId) {
    return Keys.builder().str(tenantId).str(principalId).build();
  }
}
