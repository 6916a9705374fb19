package dev.coffer.server.store.records;

import dev.coffer.server.domain.Location;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Location tree nodes. A node is keyed by tenant and its path with a trailing '/', so a
 * subtree is one contiguous key range ("/A/" covers "/A/" and "/A/B/", not "/AB/").
 */
public final class LocationRepository {

  private final KvStore store;

  public LocationRepository(KvStore store) {
    this.store = store;
  }

  /** @param subtreePrefix the path with a trailing '/' ("/" for the root) */
  public Optional<Location> get(String tenantId, String subtreePrefix) {
    return store.get(Table.LOCATIONS, key(tenantId, subtreePrefix)).map(RecordCodec::location);
  }

  /** @param subtreePrefix the location's path with a trailing '/' */
  public void stage(Changes changes, Location location, String subtreePrefix) {
    changes.put(Table.LOCATIONS, key(location.tenantId(), subtreePrefix),
        RecordCodec.encode(location));
  }

  /** The locations at or under {@code subtreePrefix}, in path order. */
  public Page<Location> list(String tenantId, String subtreePrefix, String pageToken, int size) {
    return PageScanner.page(store, Table.LOCATIONS, key(tenantId, subtreePrefix), pageToken,
        size, kv -> Optional.of(RecordCodec.location(kv.value())));
  }

  private static byte[] key(String tenantId, String subtreePrefix) {
    return Keys.builder().str(tenantId).raw(subtreePrefix.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
