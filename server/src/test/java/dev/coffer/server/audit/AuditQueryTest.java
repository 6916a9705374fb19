package dev.coffer.server.audit;

import static dev.coffer.server.audit.AuditFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant-scoped audit queries over a real RocksDB. */
class AuditQueryTest {

  @TempDir Path dir;
  RocksKvStore store;
  CheckpointSigner signer;
  ChainedAuditLog log;
  AuditQuery query;

  @BeforeEach
  void setUp() {
    store = RocksKvStore.open(dir.resolve("db"));
    signer = AuditFixtures.signer(dir, "root");
    log = new ChainedAuditLog(store, signer, 1000);
    query = new AuditQuery(store);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  /** Event {@code i} at T0 + i minutes. */
  private void record(String tenant, String actor, AuditAction action, String target, int i) {
    log.record(AuditFixtures.event(tenant, actor, action, target,
        T0.plus(Duration.ofMinutes(i))));
  }

  private void sample() {
    record("default", "alice", AuditAction.SECRET_CREATE, "secrets/s1", 1);
    record("acme", "olga", AuditAction.SECRET_CREATE, "secrets/a1", 2);
    record("default", "bob", AuditAction.SECRET_REVEAL, "secrets/s1", 3);
    record("default", "alice", AuditAction.SECRET_REVEAL, "secrets/s2", 4);
    record("acme", "olga", AuditAction.SECRET_REVEAL, "secrets/a1", 5);
    record("default", "alice", AuditAction.SECRET_DELETE, "secrets/s1", 6);
  }

  private static List<Long> sequences(Page<AuditEntry> page) {
    return page.items().stream().map(AuditEntry::sequence).toList();
  }

  private List<Long> list(AuditFilter filter) {
    return sequences(query.list("default", filter, "", 100));
  }

  @Test
  void listsOnlyTheTenantsOwnEvents_inSequenceOrder() {
    sample();
    assertEquals(List.of(1L, 3L, 4L, 6L), list(AuditFilter.ALL));
    assertEquals(List.of(2L, 5L), sequences(query.list("acme", AuditFilter.ALL, "", 100)));
    assertTrue(query.list("other", AuditFilter.ALL, "", 100).items().isEmpty());
  }

  @Test
  void entries_carryTheEventsFields_andTheChainLink() {
    sample();
    AuditEntry e = query.list("default", AuditFilter.ALL, "", 1).items().get(0);
    assertEquals(new AuditEntry(1, T0.plus(Duration.ofMinutes(1)), "default", "alice",
        "SECRET_CREATE", "secrets/s1", "ALLOWED", "", "req", "peer", "00".repeat(32)), e);
  }

  @Test
  void filters_byTimeActorTargetAndAction() {
    sample();
    Instant at3 = T0.plus(Duration.ofMinutes(3));
    assertEquals(List.of(3L, 4L, 6L), list(new AuditFilter(at3, null, "", "", "")));
    assertEquals(List.of(1L), list(new AuditFilter(null, at3, "", "", "")));
    assertEquals(List.of(1L, 4L, 6L), list(new AuditFilter(null, null, "alice", "", "")));
    assertEquals(List.of(1L, 3L, 6L), list(new AuditFilter(null, null, "", "secrets/s1", "")));
    assertEquals(List.of(3L, 4L), list(new AuditFilter(null, null, "", "", "SECRET_REVEAL")));
    assertEquals(List.of(4L), list(new AuditFilter(at3, null, "alice", "", "SECRET_REVEAL")));
  }

  @Test
  void pages_followTheirTokens_toTheEnd() {
    sample();
    Page<AuditEntry> first = query.list("default", AuditFilter.ALL, "", 3);
    assertEquals(List.of(1L, 3L, 4L), sequences(first));
    assertFalse(first.nextPageToken().isEmpty());
    Page<AuditEntry> second = query.list("default", AuditFilter.ALL, first.nextPageToken(), 3);
    assertEquals(List.of(6L), sequences(second));
    assertEquals("", second.nextPageToken());
  }

  @Test
  void anExactlyFullLastPage_hasNoToken() {
    sample();
    assertEquals("", query.list("default", AuditFilter.ALL, "", 4).nextPageToken());
  }

  @Test
  void aNarrowFilter_readsABoundedBudget_andReturnsAShortPageWithAToken() {
    for (int i = 0; i < 1500; i++) {
      record("default", "alice", AuditAction.SECRET_REVEAL, "secrets/noise", i);
    }
    record("default", "mallory", AuditAction.SECRET_REVEAL, "secrets/s1", 1500);
    AuditFilter mallory = new AuditFilter(null, null, "mallory", "", "");
    Page<AuditEntry> first = query.list("default", mallory, "", 1);
    assertTrue(first.items().isEmpty());
    assertFalse(first.nextPageToken().isEmpty());
    Page<AuditEntry> second = query.list("default", mallory, first.nextPageToken(), 1);
    assertEquals(List.of(1501L), sequences(second));
  }

  @Test
  void aTokenUsedWithOtherFilters_isRefused() {
    sample();
    String token = query.list("default", AuditFilter.ALL, "", 1).nextPageToken();
    CofferException e = assertThrows(CofferException.class, () -> query.list("default",
        new AuditFilter(null, null, "alice", "", ""), token, 1));
    assertEquals("page_token", e.violations().get(0).field());
  }

  @Test
  void aTokenOfAnotherTenant_isRefused() {
    sample();
    String token = query.list("acme", AuditFilter.ALL, "", 1).nextPageToken();
    CofferException e = assertThrows(CofferException.class,
        () -> query.list("default", AuditFilter.ALL, token, 1));
    assertEquals("page_token", e.violations().get(0).field());
  }

  @Test
  void garbageTokensAndPageSizes_areRefusedNamingTheField() {
    for (String bad : new String[] {"!!!", "AAAA"}) {
      CofferException e = assertThrows(CofferException.class,
          () -> query.list("default", AuditFilter.ALL, bad, 1));
      assertEquals("page_token", e.violations().get(0).field());
    }
    for (int bad : new int[] {-1, 1001}) {
      CofferException e = assertThrows(CofferException.class,
          () -> query.list("default", AuditFilter.ALL, "", bad));
      assertEquals("page_size", e.violations().get(0).field());
    }
  }

  @Test
  void aForgedIndexEntryPointingAtAnotherTenantsEvent_isNotReturned() {
    sample();
    store.commit(new Changes().put(Table.INDEX, AuditKeys.indexKey("default", 2), new byte[0]));
    assertEquals(List.of(1L, 3L, 4L, 6L), list(AuditFilter.ALL));
  }

  @Test
  void aCursor_streamsEveryMatch_andStopsAtItsBound() {
    for (int i = 0; i < 1200; i++) {
      record("default", i % 2 == 0 ? "alice" : "bob", AuditAction.SECRET_REVEAL, "secrets/s", i);
    }
    AuditQuery.Cursor cursor = query.cursor("default",
        new AuditFilter(null, null, "alice", "", ""), 1100);
    List<Long> seen = new ArrayList<>();
    for (int round = 0; round < 100 && !cursor.done(); round++) {
      cursor.next().forEach(e -> seen.add(e.sequence()));
    }
    assertTrue(cursor.done());
    assertEquals(550, seen.size());
    assertEquals(1L, seen.get(0));
    assertEquals(1099L, seen.get(seen.size() - 1));
  }

  @Test
  void eventsOfAVaultWrittenBeforeTheIndex_areIndexedWhenTheLogOpens() {
    sample();
    Changes legacy = new Changes().delete(Table.META, AuditKeys.INDEX_VERSION_KEY);
    for (long s = 1; s <= 6; s++) {
      for (String t : List.of("default", "acme")) {
        legacy.delete(Table.INDEX, AuditKeys.indexKey(t, s));
      }
    }
    store.commit(legacy);
    assertTrue(list(AuditFilter.ALL).isEmpty());

    new ChainedAuditLog(store, signer, 1000);

    assertEquals(List.of(1L, 3L, 4L, 6L), list(AuditFilter.ALL));
    assertTrue(new AuditChainVerifier(store, signer).verify().intact());
  }
}
