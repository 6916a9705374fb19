package dev.coffer.server.store.records;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Paginates a prefix scan in O(page): the page token here is a cursor, the last key read
 * (base64url), which names objects; clients never see it, because {@code api.PageTokens}
 * seals every cursor (AEAD, bound to method, caller and filters) before it leaves the
 * server. The cursor must still lie inside the scanned prefix (so a cursor cannot reach
 * another tenant's keys), and a page reads at most a fixed budget of entries, returning
 * fewer items than asked (with a token) when a filter rejects many.
 */
final class PageScanner {

  static final int MAX_PAGE_SIZE = 1000;
  static final int DEFAULT_PAGE_SIZE = 50;

  private PageScanner() {}

  /**
   * @param resolve maps a scanned entry to an item, or empty to skip it
   */
  static <T> Page<T> page(KvStore store, Table table, byte[] prefix, String pageToken,
      int pageSize, Function<KeyValue, Optional<T>> resolve) {
    return page(store, table, prefix, null, pageToken, pageSize, resolve);
  }

  /**
   * As {@link #page(KvStore, Table, byte[], String, int, Function)}, but a first page
   * (no token) starts strictly after {@code firstStartAfter} when it is not null.
   */
  static <T> Page<T> page(KvStore store, Table table, byte[] prefix, byte[] firstStartAfter,
      String pageToken, int pageSize, Function<KeyValue, Optional<T>> resolve) {
    int size = pageSize(pageSize);
    byte[] after = decodeToken(pageToken, prefix);
    if (after == null) {
      after = firstStartAfter;
    }
    int budget = Math.max(size * 10, 1000);
    List<T> items = new ArrayList<>(size);
    byte[] lastKey = null;
    int read = 0;
    while (items.size() < size && read < budget) {
      int want = Math.min(size - items.size(), budget - read);
      List<KeyValue> batch = store.scan(table, prefix, after, want);
      for (KeyValue kv : batch) {
        read++;
        lastKey = kv.key();
        resolve.apply(kv).ifPresent(items::add);
      }
      if (batch.size() < want) {
        return new Page<>(items, "");
      }
      after = lastKey;
    }
    return new Page<>(items, more(store, table, prefix, lastKey) ? encodeToken(lastKey) : "");
  }

  static int pageSize(int requested) {
    if (requested < 0 || requested > MAX_PAGE_SIZE) {
      throw CofferException.invalid("page_size", "must be between 0 and " + MAX_PAGE_SIZE);
    }
    return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
  }

  private static boolean more(KvStore store, Table table, byte[] prefix, byte[] lastKey) {
    return lastKey != null && !store.scan(table, prefix, lastKey, 1).isEmpty();
  }

  private static String encodeToken(byte[] key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  private static byte[] decodeToken(String token, byte[] prefix) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    byte[] key;
    try {
      key = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw CofferException.invalid("page_token", "is not a token this listing returned");
    }
    if (key.length < prefix.length
        || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
      throw CofferException.invalid("page_token",
          "belongs to another listing; repeat the same filters with it");
    }
    return key;
  }
}
