package dev.coffer.server.store.records;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.OneTimeMigration;
import dev.coffer.server.store.Table;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Access token metadata by token id, an index from each token's keyed lookup key to its
 * id, and an index of each principal's tokens (for listing them and for revoking them all
 * when someone else is issued a credential for that principal). The token value itself is
 * never stored.
 *
 * <p>An index entry never changes once written (a lookup key always names the same token),
 * so the lookup-key-to-id step is cached, bounded by {@code maxCachedLookups}; this saves an
 * iterator seek on every authenticated call. The token record itself is read from the store
 * on every lookup, so a revocation or an expiry takes effect on the very next call. Only hits
 * are cached: an unknown key is looked up in the store each time.
 */
public final class TokenRepository {

  private static final String LOOKUP_INDEX = "token-lookup";
  private static final String PRINCIPAL_INDEX = "token-by-principal";
  private static final String ISSUED_FOR = "token-issued-for";
  private static final byte[] BACKFILL_MARKER =
      "token-by-principal-version".getBytes(StandardCharsets.UTF_8);
  private static final int SCAN_PAGE = 1000;

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
    changes.put(Table.INDEX, principalKey(token), new byte[0]);
  }

  /**
   * The id of the newest token issued for {@code principalId} by someone else, if any. Each
   * such issue that revokes the tokens held stages its own id here, guarded by the id it read
   * ({@link #stageIssuedFor}): two of them for one principal at once (through two nodes of a
   * cluster) cannot both commit, which would leave each other's token valid.
   */
  public Optional<String> issuedFor(String tenantId, String principalId) {
    return store.get(Table.INDEX, issuedForKey(tenantId, principalId))
        .map(v -> new String(v, StandardCharsets.UTF_8));
  }

  /**
   * Stages {@code token} as the newest issued for its principal by someone else, only if
   * {@code previous} (what {@link #issuedFor} read) is still the newest.
   */
  public void stageIssuedFor(Changes changes, AccessToken token, Optional<String> previous) {
    byte[] key = issuedForKey(token.tenantId(), token.principalId());
    changes.expect(Table.INDEX, key,
        previous.map(id -> id.getBytes(StandardCharsets.UTF_8)).orElse(null))
        .put(Table.INDEX, key, token.tokenId().getBytes(StandardCharsets.UTF_8));
  }

  /** A page of {@code principalId}'s tokens (any state), oldest id first. */
  public Page<AccessToken> listOf(String tenantId, String principalId, String pageToken,
      int size) {
    return PageScanner.page(store, Table.INDEX, principalPrefix(tenantId, principalId),
        pageToken, size, kv -> byId(tokenIdOf(kv.key())));
  }

  /** Every token of {@code principalId} that is neither revoked nor expired at {@code now}. */
  public List<AccessToken> activeOf(String tenantId, String principalId, Instant now) {
    List<AccessToken> active = new ArrayList<>();
    byte[] prefix = principalPrefix(tenantId, principalId);
    byte[] after = null;
    while (true) {
      List<KeyValue> page = store.scan(Table.INDEX, prefix, after, SCAN_PAGE);
      for (KeyValue kv : page) {
        after = kv.key();
        byId(tokenIdOf(kv.key())).filter(t -> !t.isRevoked() && !t.isExpiredAt(now))
            .ifPresent(active::add);
      }
      if (page.size() < SCAN_PAGE) {
        return active;
      }
    }
  }

  /**
   * Indexes the tokens of a vault written before the per-principal index existed, once per
   * vault (a marker is set last; re-running writes the same entries). Runs at start-up,
   * before anything serves. Returns the number of tokens indexed.
   */
  public long backfillPrincipalIndex() {
    return OneTimeMigration.runOnce(store, BACKFILL_MARKER, Table.TOKENS, (kv, changes) -> {
      changes.put(Table.INDEX, principalKey(RecordCodec.token(kv.value())), new byte[0]);
      return true;
    });
  }

  private static byte[] principalPrefix(String tenantId, String principalId) {
    return Keys.builder().str(PRINCIPAL_INDEX).str(tenantId).str(principalId).build();
  }

  private static byte[] issuedForKey(String tenantId, String principalId) {
    return Keys.builder().str(ISSUED_FOR).str(tenantId).str(principalId).build();
  }

  private static byte[] principalKey(AccessToken token) {
    return Keys.builder().raw(principalPrefix(token.tenantId(), token.principalId()))
        .str(token.tokenId()).build();
  }

  private static String tokenIdOf(byte[] indexKey) {
    Keys.Reader reader = Keys.reader(indexKey);
    reader.str();
    reader.str();
    reader.str();
    return reader.str();
  }

  private static byte[] lookupPrefix(byte[] lookupKey) {
    return Keys.builder().str(LOOKUP_INDEX).raw(lookupKey).build();
  }
}
