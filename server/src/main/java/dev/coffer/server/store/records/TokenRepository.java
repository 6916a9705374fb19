package dev.coffer.server.store.records;

import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Access token metadata by token id, and an index from each token's keyed lookup key to
 * its id. The token value itself is never stored.
 */
public final class TokenRepository {

  private static final String LOOKUP_INDEX = "token-lookup";

  private final KvStore store;

  public TokenRepository(KvStore store) {
    this.store = store;
  }

  public Optional<AccessToken> byId(String tokenId) {
    return store.get(Table.TOKENS, Keys.builder().str(tokenId).build())
        .map(RecordCodec::token);
  }

  public Optional<AccessToken> byLookupKey(byte[] lookupKey) {
    List<KeyValue> hit = store.scan(Table.INDEX, lookupPrefix(lookupKey), null, 1);
    if (hit.isEmpty()) {
      return Optional.empty();
    }
    byte[] key = hit.get(0).key();
    Keys.Reader reader = Keys.reader(key);
    reader.str();
    reader.raw(lookupKey.length);
    return byId(new String(reader.rest(), StandardCharsets.UTF_8));
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
