package dev.coffer.server;

import dev.coffer.server.crypto.KeysetStore;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the root-key-encrypted keysets in the vault's own META table, so that a backup of
 * the database carries keys and data together and a keyset is written atomically.
 */
final class StoredKeysets implements KeysetStore {

  private final KvStore store;

  StoredKeysets(KvStore store) {
    this.store = store;
  }

  @Override
  public Optional<byte[]> read(String name) {
    return store.get(Table.META, key(name));
  }

  @Override
  public void writeAll(Map<String, byte[]> encryptedKeysets) {
    Changes changes = new Changes();
    encryptedKeysets.forEach((name, bytes) -> changes.put(Table.META, key(name), bytes));
    store.commit(changes);
  }

  /** Whether {@code changes} write the keyset called {@code name}. */
  static boolean touches(Changes changes, String name) {
    byte[] key = key(name);
    for (Changes.Change c : changes.list()) {
      if (c.table() == Table.META && Arrays.equals(c.key(), key)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] key(String name) {
    return Keys.builder().str("keyset").str(name).build();
  }
}
