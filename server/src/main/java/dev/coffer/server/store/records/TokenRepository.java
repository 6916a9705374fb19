package dev.coffer.server.store.records;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Access token metadata by token id, and an index from each token's keyed lookup key to
 * its id. The token value itself is never stored.
 *
 * <p>An index entry never changes once written (a lookup key always names the same token),
 * so the lookup-key-to-id step is cached, bounded by {@code maxCachedLookups}; this saves an
 * iterator seek on every authenticated call. The token record itself is read from the store
 * on every lookup, so a revocation or an expiry takes effect on the very next call. Only hits
 * are cached: an unknown key is looked up in the store each time.
 */
public final class TokenRepository {

  private static final String LOOKUP_INDEX = "token-lookup";

  /** Lookup keys whose token id is kept in memory (about 150 bytes each). */
  public static final int DEFAULT_MAX_CACHED_LOOKUPS = 100_000;

  private final KvStore store;
  private final Cache<ByteBuffer, String> idByLookupKey;

  public TokenRepository(KvStore store) {
    this(store, DEFAULT_MAX_CACHED_LOOKUPS);
  }

  public TokenRepository(KvStore store, int maxCachedLookups) {
    this.store = store;
    this.idByLookupKey = Caffeine.newBuilder().maximumSize(maxCachedLookups)
        .executor(Runnable::run) // upkeep on the caller: no hand-off to the common pool
        .build();
  }

  public Optional<AccessToken> byId(String tokenId) {
    return store.get(Table.TOKENS, Keys.builder().str(tokenId).build())
        .map(RecordCodec::token);
  }

  public Optional<AccessToken> byLookupKey(byte[] lookupKey) {
    ByteBuffer cacheKey = ByteBuffer.wrap(lookupKey.clone());
    String cached = idByLookupKey.getIfPresent(cacheKey);
    if (cached != null) {
      return byId(cached);
    }
    Optional<String> tokenId = idInIndex(lookupKey);
    tokenId.ifPresent(id -> idByLookupKey.put(cacheKey, id));
    return tokenId.flatMap(this::byId);
  }

  private Optional<String> idInIndex(byte[] lookupKey) {
    List<KeyValue> hit = store.scan(Table.INDEX, lookupPrefix(lookupKey), null, 1);
    if (hit.isEmpty()) {
      return Optional.empty();
    }
    byte[] key = hit.get(0).key();
    Keys.Reader reader = Keys.reader(key);
    reader.str();
    reader.raw(lookupKey.length);
    return Optional.of(new String(reader.rest(), StandardCharsets.UTF_8));
  }

  public void stage(Changes changes, AccessToken token) {
    changes.put(Table.TOKENS, Keys.builder().str(token.tokenId()).build(),
        RecordCodec.encode(token));
    changes.put(Table.INDEX, Keys.builder().raw(lookupPrefix(token.lookupKey()))
        .raw(token.tokenId().getBytes(StandardCharsets.UTF_8)).build(), new byte[0]);
  }

  private static byte[] lookupPrefix(byte[] lookupKey) {
    return Keys.builder().str(LOOKUP_INDEX).raw(lookupKey).build();
  }
}
