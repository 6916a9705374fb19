package dev.coffer.server.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.OneTimeMigration;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Adds the tenant index entries of events written before the index existed, once per
 * vault: it walks AUDIT in pages, commits each page's entries in one batch, and then sets
 * the index version marker. Safe to interrupt: entries are idempotent, and the marker is
 * written last. An unreadable record is left unindexed (the chain verification reports it).
 */
final class IndexBackfill {

  private IndexBackfill() {}

  static void runOnce(KvStore store) {
    OneTimeMigration.runOnce(store, AuditKeys.INDEX_VERSION_KEY, Table.AUDIT, (kv, changes) ->
        parse(kv).map(rec -> changes.put(Table.INDEX,
            AuditKeys.indexKey(rec.getTenantId(), ByteBuffer.wrap(kv.key()).getLong()),
            new byte[0])).isPresent());
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
