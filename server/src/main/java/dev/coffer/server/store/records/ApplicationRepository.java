package dev.coffer.server.store.records;

import dev.coffer.server.domain.Application;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Applications by tenant and client id, with a unique index on (tenant, environment,
 * client name, case-insensitive) kept in the same batch.
 */
public final class ApplicationRepository {

  private static final String NAME_INDEX = "app-name";

  private final KvStore store;

  public ApplicationRepository(KvStore store) {
    this.store = store;
  }

  public Optional<Application> get(String tenantId, String clientId) {
    return store.get(Table.APPLICATIONS, key(tenantId, clientId))
        .map(RecordCodec::application);
  }

  public boolean nameTaken(String tenantId, String environment, String clientName) {
    List<KeyValue> hit = store.scan(Table.INDEX, nameKey(tenantId, environment, clientName),
        null, 1);
    return !hit.isEmpty();
  }

  public void stage(Changes changes, Application app) {
    changes.put(Table.APPLICATIONS, key(app.tenantId(), app.clientId()),
        RecordCodec.encode(app));
    changes.put(Table.INDEX, nameKey(app.tenantId(), app.environment(), app.clientName()),
        new byte[0]);
  }

  public Page<Application> list(String tenantId, String pageToken, int pageSize) {
    return PageScanner.page(store, Table.APPLICATIONS, Keys.builder().str(tenantId).build(),
        pageToken, pageSize, kv -> Optional.of(RecordCodec.application(kv.value())));
  }

  private static byte[] key(String tenantId, String clientId) {
    return Keys.builder().str(tenantId).str(clientId).build();
  }

  private static byte[] nameKey(String tenantId, String environment, String clientName) {
    return Keys.builder().str(NAME_INDEX).str(tenantId).str(environment)
        .str(clientName.toLowerCase(Locale.ROOT))
        .build();
  }
}
