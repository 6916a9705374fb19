package dev.coffer.server.store.records;

import dev.coffer.server.domain.Scope;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.util.Optional;

/** Scopes by tenant and scope id (which is unique per tenant). */
public final class ScopeRepository {

  private final KvStore store;

  public ScopeRepository(KvStore store) {
    this.store = store;
  }

  public Optional<Scope> get(String tenantId, String scopeId) {
    return store.get(Table.SCOPES, key(tenantId, scopeId)).map(RecordCodec::scope);
  }

  public void stage(Changes changes, Scope scope) {
    changes.put(Table.SCOPES, key(scope.tenantId(), scope.scopeId()), RecordCodec.encode(scope));
  }

  public Page<Scope> list(String tenantId, String pageToken, int pageSize) {
    return PageScanner.page(store, Table.SCOPES, Keys.builder().str(tenantId).build(),
        pageToken, pageSize, kv -> Optional.of(RecordCodec.scope(kv.value())));
  }

  private static byte[] key(String tenantId, String scopeId) {
    return Keys.builder().str(tenantId).str(scopeId).build();
  }
}
