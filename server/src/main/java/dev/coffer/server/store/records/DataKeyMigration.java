package dev.coffer.server.store.records;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.OneTimeMigration;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.SecretRec;
import java.nio.charset.StandardCharsets;

/**
 * Moves the wrapped data keys of a vault written before DATA_KEYS existed out of their
 * secret records, once per vault: each page of records is rewritten without the key, and
 * the key written to DATA_KEYS, in one batch; a marker is set last. Safe to interrupt: a
 * moved record no longer carries the field. Runs at startup, before anything serves.
 */
public final class DataKeyMigration {

  static final byte[] MARKER_KEY = "data-keys-version".getBytes(StandardCharsets.UTF_8);

  private DataKeyMigration() {}

  /** Returns the number of data keys moved (0 when the vault was already migrated). */
  public static long runOnce(KvStore store) {
    return OneTimeMigration.runOnce(store, MARKER_KEY, Table.SECRETS, (kv, changes) -> {
      SecretRec rec = parse(kv.value());
      if (rec == null || rec.getWrappedDataKey().isEmpty()) {
        return false;
      }
      changes.put(Table.DATA_KEYS, kv.key(), rec.getWrappedDataKey().toByteArray())
          .put(Table.SECRETS, kv.key(),
              rec.toBuilder().setWrappedDataKey(ByteString.EMPTY).build().toByteArray());
      return true;
    });
  }

  /** Null for an unreadable record: it is left as it is (reading it reports the damage). */
  private static SecretRec parse(byte[] bytes) {
    try {
      return SecretRec.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
