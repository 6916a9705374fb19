package dev.coffer.server.store.records;

import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a time-ordered secondary index, {@code (index name, tenant, u64 epoch millis, id)},
 * as a queue of deadlines: the entries due in a window {@code (from, until]} come from one
 * range scan in time order. A scan reads the due entries plus at most one entry past
 * {@code until} per chunk (chunks start small and double), so its cost follows what is due,
 * not the size of the index. Entries hold no value; callers re-read the record and check
 * that it still carries the indexed time before acting on it.
 */
public final class DueIndex {

  /**
   * One due entry: the object's id, the time it is indexed under (millisecond precision),
   * and the position to resume a scan after.
   */
  public record Due(String id, Instant at, byte[] position) {}

  private static final int FIRST_CHUNK = 8;

  private DueIndex() {}

  static byte[] prefix(String indexName, String tenantId) {
    return Keys.builder().str(indexName).str(tenantId).build();
  }

  static byte[] key(String indexName, String tenantId, Instant at, String id) {
    return Keys.builder().str(indexName).str(tenantId).u64(at.toEpochMilli()).str(id).build();
  }

  /**
   * Up to {@code limit} entries indexed at or before {@code until}, in time order.
   *
   * @param fromExclusive where a fresh scan starts: only entries indexed strictly after it
   * @param after where a resumed scan starts (exclusive), or null for a fresh scan
   */
  static List<Due> due(KvStore store, String indexName, String tenantId, Instant fromExclusive,
      Due after, Instant until, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    byte[] prefix = prefix(indexName, tenantId);
    byte[] cursor;
    if (after != null) {
      if (!startsWith(after.position(), prefix)) {
        throw new IllegalArgumentException("the resume position belongs to another index");
      }
      cursor = after.position();
    } else {
      // No key equals this bound: every key at fromExclusive sorts below it, every later one above.
      cursor = Keys.builder().raw(prefix).u64(fromExclusive.toEpochMilli() + 1).build();
    }
    long untilMillis = until.toEpochMilli();
    List<Due> result = new ArrayList<>();
    int chunk = Math.min(limit, FIRST_CHUNK);
    while (result.size() < limit) {
      List<KeyValue> batch = store.scan(Table.INDEX, prefix, cursor, chunk);
      for (KeyValue kv : batch) {
        Due d = decode(prefix, kv.key());
        if (d.at().toEpochMilli() > untilMillis) {
          return result;
        }
        result.add(d);
      }
      if (batch.size() < chunk) {
        return result;
      }
      cursor = batch.get(batch.size() - 1).key();
      chunk = Math.min(chunk * 2, limit - result.size());
    }
    return result;
  }

  private static Due decode(byte[] prefix, byte[] key) {
    Keys.Reader r = Keys.reader(key);
    r.raw(prefix.length);
    Instant at = Instant.ofEpochMilli(r.u64());
    return new Due(r.str(), at, key);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
