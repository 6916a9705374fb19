package dev.coffer.server.store.records;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.SecretRec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Moves the wrapped data keys of a vault written before DATA_KEYS existed out of their
 * secret records, once per vault: each page of records is rewritten without the key, and
 * the key written to DATA_KEYS, in one batch; a marker is set last. Safe to interrupt: a
 * moved record no longer carries the field. Runs at startup, before anything serves.
 */
public final class DataKeyMigration {

  static final byte[] MARKER_KEY = "data-keys-version".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VERSION = "1".getBytes(StandardCharsets.UTF_8);
  private static final int PAGE = 1000;

  private DataKeyMigration() {}

  /** Returns the number of data keys moved (0 when the vault was already migrated). */
  public static long runOnce(KvStore store) {
    if (store.get(Table.META, MARKER_KEY).isPresent()) {
      return 0;
    }
    long moved = 0;
    byte[] after = null;
    while (true) {
      List<KeyValue> page = store.scan(Table.SECRETS, new byte[0], after, PAGE);
      Changes changes = new Changes();
      for (KeyValue kv : page) {
        after = kv.key();
        SecretRec rec = parse(kv.value());
        if (rec != null && !rec.getWrappedDataKey().isEmpty()) {
          changes.put(Table.DATA_KEYS, kv.key(), rec.getWrappedDataKey().toByteArray())
              .put(Table.SECRETS, kv.key(),
                  rec.toBuilder().setWrappedDataKey(ByteString.EMPTY).build().toByteArray());
          moved++;
        }
      }
      if (!changes.isEmpty()) {
        store.commit(changes);
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    store.commit(new Changes().put(Table.META, MARKER_KEY, VERSION));
    return moved;
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
