package dev.coffer.server.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.pb.AuditRec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads one tenant's audit events in sequence order through the tenant index, never
 * touching another tenant's keys: pages for people ({@link #list}) and a cursor for
 * exports ({@link #cursor}).
 *
 * <p>Cost is O(page): a page reads at most a fixed budget of index entries (ten times the
 * page size, at least 1000), each resolved by one point read, so a narrow filter yields a
 * short page, with a token, rather than a long scan. The page token follows the listing
 * conventions of {@code store.records.PageScanner}: a cursor, base64url of the last index
 * key read, which must lie inside the tenant's range (clients only ever see it sealed by
 * {@code api.PageTokens}); it also carries a digest of the filter, so a cursor is refused
 * with other filters. Security: an index entry that points at
 * another tenant's event (a damaged or forged index) is skipped, never returned.
 */
public final class AuditQuery {

  public static final int MAX_PAGE_SIZE = 1000;
  public static final int DEFAULT_PAGE_SIZE = 50;
  private static final int FINGERPRINT_BYTES = 8;
  private static final int EXPORT_BATCH = 500;

  private final KvStore store;

  public AuditQuery(KvStore store) {
    this.store = store;
  }

  /**
   * One page of {@code tenantId}'s events matching {@code filter}, oldest first.
   *
   * @throws CofferException INVALID_FIELD naming {@code page_size} or {@code page_token}
   */
  public Page<AuditEntry> list(String tenantId, AuditFilter filter, String pageToken,
      int pageSize) {
    int size = pageSize(pageSize);
    byte[] prefix = AuditKeys.tenantPrefix(tenantId);
    byte[] after = decodeToken(pageToken, prefix, filter);
    Batch batch = scan(tenantId, prefix, after, Long.MAX_VALUE, filter, size,
        Math.max(size * 10, 1000));
    boolean more = !batch.exhausted() && batch.lastKey() != null
        && !store.scan(Table.INDEX, prefix, batch.lastKey(), 1).isEmpty();
    return new Page<>(batch.items(), more ? encodeToken(filter, batch.lastKey()) : "");
  }

  /**
   * A cursor over {@code tenantId}'s events matching {@code filter} up to and including
   * sequence {@code through} (so an export ends even while events keep arriving).
   */
  public Cursor cursor(String tenantId, AuditFilter filter, long through) {
    return new Cursor(tenantId, filter, through);
  }

  /** Validates a requested page size; 0 means the default. */
  public static int pageSize(int requested) {
    if (requested < 0 || requested > MAX_PAGE_SIZE) {
      throw CofferException.invalid("page_size", "must be between 0 and " + MAX_PAGE_SIZE);
    }
    return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
  }

  /** Reads an export in bounded batches; not thread-safe. */
  public final class Cursor {
    private final String tenantId;
    private final AuditFilter filter;
    private final long through;
    private final byte[] prefix;
    private byte[] after;
    private boolean done;

    private Cursor(String tenantId, AuditFilter filter, long through) {
      this.tenantId = tenantId;
      this.filter = filter;
      this.through = through;
      this.prefix = AuditKeys.tenantPrefix(tenantId);
    }

    /**
     * The next matching events, at most {@value #EXPORT_BATCH}; may be empty before the end
     * when the filter rejected a whole batch. Check {@link #done()}.
     */
    public List<AuditEntry> next() {
      if (done) {
        return List.of();
      }
      Batch batch = scan(tenantId, prefix, after, through, filter, EXPORT_BATCH,
          EXPORT_BATCH * 10);
      after = batch.lastKey() != null ? batch.lastKey() : after;
      done = batch.exhausted();
      return batch.items();
    }

    public boolean done() {
      return done;
    }
  }

  private record Batch(List<AuditEntry> items, byte[] lastKey, boolean exhausted) {}

  /**
   * Reads index entries after {@code after} until {@code want} items matched, the budget
   * of entries is spent, the range ends, or an entry passes {@code through}.
   */
  private Batch scan(String tenantId, byte[] prefix, byte[] after, long through,
      AuditFilter filter, int want, int budget) {
    List<AuditEntry> items = new ArrayList<>(Math.min(want, 256));
    byte[] last = after;
    int read = 0;
    while (read < budget) {
      int n = Math.min(budget - read, Math.max(want - items.size(), 64));
      List<KeyValue> entries = store.scan(Table.INDEX, prefix, last, n);
      for (KeyValue kv : entries) {
        long sequence = AuditKeys.trailingSequence(kv.key());
        if (sequence > through) {
          return new Batch(items, last, true);
        }
        read++;
        last = kv.key();
        event(tenantId, sequence).filter(filter::matches).ifPresent(items::add);
        if (items.size() == want) {
          return new Batch(items, last, false);
        }
      }
      if (entries.size() < n) {
        return new Batch(items, last, true);
      }
    }
    return new Batch(items, last, false);
  }

  private Optional<AuditEntry> event(String tenantId, long sequence) {
    return store.get(Table.AUDIT, AuditKeys.sequenceKey(sequence)).map(bytes -> {
      try {
        return AuditRec.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new CofferException(Reason.STORAGE_FAILURE,
            "audit event " + sequence + " is unreadable; run the chain verification", e);
      }
    }).filter(r -> r.getSequence() == sequence && r.getTenantId().equals(tenantId))
        .map(AuditEntry::of);
  }

  private static String encodeToken(AuditFilter filter, byte[] key) {
    byte[] token = new byte[FINGERPRINT_BYTES + key.length];
    System.arraycopy(filter.fingerprint(), 0, token, 0, FINGERPRINT_BYTES);
    System.arraycopy(key, 0, token, FINGERPRINT_BYTES, key.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  private static byte[] decodeToken(String token, byte[] prefix, AuditFilter filter) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw CofferException.invalid("page_token", "is not a token this listing returned");
    }
    if (raw.length < FINGERPRINT_BYTES + prefix.length + Long.BYTES) {
      throw CofferException.invalid("page_token", "is not a token this listing returned");
    }
    byte[] key = Arrays.copyOfRange(raw, FINGERPRINT_BYTES, raw.length);
    if (!Arrays.equals(raw, 0, FINGERPRINT_BYTES, filter.fingerprint(), 0, FINGERPRINT_BYTES)
        || key.length != prefix.length + Long.BYTES
        || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
      throw CofferException.invalid("page_token",
          "belongs to another listing; repeat the same filters with it");
    }
    return key;
  }
}
