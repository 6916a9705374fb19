package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.RocksKvStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached lookup-key index never hides a change to the token record itself. */
class TokenRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;
  private RocksKvStore store;
  private TokenRepository tokens;

  @BeforeEach
  void open() {
    store = RocksKvStore.open(dir);
    tokens = new TokenRepository(store, 2);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void revocationIsSeenOnTheNextLookup_althoughTheIndexEntryIsCached() {
    AccessToken token = token("tok_a", new byte[] {1, 2, 3}, null);
    save(token);
    assertEquals(null, tokens.byLookupKey(new byte[] {1, 2, 3}).orElseThrow().revokeTime());

    save(token("tok_a", new byte[] {1, 2, 3}, T0.plusSeconds(60)));

    assertTrue(tokens.byLookupKey(new byte[] {1, 2, 3}).orElseThrow().isRevoked());
  }

  @Test
  void aMissIsNotCached_aTokenIssuedAfterwardsIsFound() {
    assertTrue(tokens.byLookupKey(new byte[] {9}).isEmpty());

    save(token("tok_b", new byte[] {9}, null));

    assertEquals("tok_b", tokens.byLookupKey(new byte[] {9}).orElseThrow().tokenId());
  }

  @Test
  void eachLookupKeyFindsItsOwnToken_pastTheCacheBound() {
    // Lookup keys are PRF outputs of one length; these share all but their last byte.
    save(token("tok_1", new byte[] {7, 1}, null));
    save(token("tok_2", new byte[] {7, 2}, null));
    save(token("tok_3", new byte[] {7, 3}, null));
    for (int round = 0; round < 3; round++) {
      assertEquals("tok_1", tokens.byLookupKey(new byte[] {7, 1}).orElseThrow().tokenId());
      assertEquals("tok_2", tokens.byLookupKey(new byte[] {7, 2}).orElseThrow().tokenId());
      assertEquals("tok_3", tokens.byLookupKey(new byte[] {7, 3}).orElseThrow().tokenId());
    }
  }

  @Test
  void aDeletedTokenRecordIsNotFound_evenWithItsIndexEntryCached() {
    save(token("tok_c", new byte[] {4}, null));
    tokens.byLookupKey(new byte[] {4}).orElseThrow();

    store.commit(new Changes().delete(dev.coffer.server.store.Table.TOKENS,
        dev.coffer.server.store.Keys.builder().str("tok_c").build()));

    assertTrue(tokens.byLookupKey(new byte[] {4}).isEmpty());
  }

  @Test
  void aPrincipalsTokens_areListed_andOnlyTheLiveOnesAreActive() {
    save(token("tok_1", new byte[] {1}, null));
    save(token("tok_2", new byte[] {2}, T0.plusSeconds(10)));
    save(new AccessToken("tok_3", "acme", "bob", T0, T0.plusSeconds(3600), null, "",
        new byte[] {3}));
    save(new AccessToken("tok_4", "acme", "alice", T0, T0.plusSeconds(60), null, "",
        new byte[] {4}));

    assertEquals(List.of("tok_1", "tok_2", "tok_4"), tokens.listOf("acme", "alice", "", 10)
        .items().stream().map(AccessToken::tokenId).toList());
    assertEquals(List.of("tok_1"), tokens.activeOf("acme", "alice", T0.plusSeconds(60))
        .stream().map(AccessToken::tokenId).toList());
    assertTrue(tokens.listOf("other", "alice", "", 10).items().isEmpty());
  }

  @Test
  void tokensOfAVaultWrittenBeforeThePrincipalIndex_areIndexedOnce() {
    save(token("tok_old", new byte[] {5}, null));
    // As the previous version wrote it: the record and its lookup entry, no principal index.
    store.commit(new Changes().delete(Table.INDEX, Keys.builder().str("token-by-principal")
        .str("acme").str("alice").str("tok_old").build()));
    assertTrue(tokens.listOf("acme", "alice", "", 10).items().isEmpty());
    store.commit(new Changes().delete(Table.META,
        "token-by-principal-version".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertEquals(1, tokens.backfillPrincipalIndex());
    assertEquals(0, tokens.backfillPrincipalIndex(), "runs once per vault");

    assertEquals("tok_old", tokens.activeOf("acme", "alice", T0).get(0).tokenId());
  }

  private void save(AccessToken token) {
    Changes changes = new Changes();
    tokens.stage(changes, token);
    store.commit(changes);
  }

  private static AccessToken token(String id, byte[] lookupKey, Instant revoked) {
    return new AccessToken(id, "acme", "alice", T0, T0.plusSeconds(3600), revoked, "",
        lookupKey);
  }
}
