package dev.coffer.server.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Adds the tenant index entries of events written before the index existed, once per
 * vault: it walks AUDIT in pages, commits each page's entries in one batch, and then sets
 * the index version marker. Safe to interrupt: entries are idempotent, and the marker is
 * written last. An unreadable record is left unindexed (the chain verification reports it).
 */
final class IndexBackfill {

  private static final byte[] VERSION = "1".getBytes(StandardCharsets.UTF_8);
  private static final int PAGE = 1000;

  private IndexBackfill() {}

  static void runOnce(KvStore store) {
    if (store.get(Table.META, AuditKeys.INDEX_VERSION_KEY).isPresent()) {
      return;
    }
    byte[] after = null;
    while (true) {
      List<KeyValue> page = store.scan(Table.AUDIT, new byte[0], after, PAGE);
      Changes changes = new Changes();
      for (KeyValue kv : page) {
        after = kv.key();
        parse(kv).ifPresent(rec -> changes.put(Table.INDEX,
            AuditKeys.indexKey(rec.getTenantId(), ByteBuffer.wrap(kv.key()).getLong()),
            new byte[0]));
      }
      if (!changes.isEmpty()) {
        store.commit(changes);
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    store.commit(new Changes().put(Table.META, AuditKeys.INDEX_VERSION_KEY, VERSION));
  }

  /** Empty for an unreadable record: the chain verification reports it; startup goes on. */
  private static Optional<AuditRec> parse(KeyValue kv) {
    try {
      return Optional.of(AuditRec.parseFrom(kv.value()));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
