package dev.coffer.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@link KvStoreContract} through the read cache (on a real RocksDB), then shows
 * what the cache adds: hits skip the database, every commit is seen by the next read, and
 * a read that races a commit cannot leave the replaced bytes behind.
 */
class CachingKvStoreTest extends KvStoreContract {

  @TempDir
  Path dir;

  @Override
  protected KvStore openStore() {
    return new CachingKvStore(RocksKvStore.open(dir), 1 << 20);
  }

  private CachingKvStore caching() {
    return (CachingKvStore) store;
  }

  @Test
  void repeatedGet_isServedFromTheCache_andReturnsCopies() {
    store.commit(new Changes().put(Table.SECRETS, b("k"), b("v1")));
    byte[] first = store.get(Table.SECRETS, b("k")).orElseThrow();
    long missesBefore = caching().stats().missCount();
    first[0] = 'X'; // the caller changes its copy

    byte[] second = store.get(Table.SECRETS, b("k")).orElseThrow();

    assertArrayEquals(b("v1"), second);
    assertEquals(missesBefore, caching().stats().missCount(), "second read was a hit");
    assertTrue(caching().stats().hitCount() >= 1);
  }

  @Test
  void commit_isSeenByTheNextGet_putDeleteAndAbsence() {
    assertTrue(store.get(Table.TOKENS, b("t")).isEmpty()); // absence cached
    store.commit(new Changes().put(Table.TOKENS, b("t"), b("a")));
    assertArrayEquals(b("a"), store.get(Table.TOKENS, b("t")).orElseThrow());
    store.commit(new Changes().put(Table.TOKENS, b("t"), b("b")));
    assertArrayEquals(b("b"), store.get(Table.TOKENS, b("t")).orElseThrow());
    store.commit(new Changes().delete(Table.TOKENS, b("t")));
    assertTrue(store.get(Table.TOKENS, b("t")).isEmpty());
  }

  @Test
  void cachedScan_seesEntriesAddedAndRemovedUnderItsPrefix() {
    byte[] prefix = Keys.builder().str("app").str("tenant-a").build();
    store.commit(new Changes().put(Table.INDEX, key("tenant-a", "s1"), new byte[0]));
    assertEquals(1, store.scan(Table.INDEX, prefix, null, 100).size());
    long missesBefore = caching().stats().missCount();
    assertEquals(1, store.scan(Table.INDEX, prefix, null, 100).size());
    assertEquals(missesBefore, caching().stats().missCount(), "second scan was a hit");

    store.commit(new Changes().put(Table.INDEX, key("tenant-a", "s2"), new byte[0]));
    assertEquals(2, store.scan(Table.INDEX, prefix, null, 100).size());
    store.commit(new Changes().delete(Table.INDEX, key("tenant-a", "s1")));
    List<KeyValue> left = store.scan(Table.INDEX, prefix, null, 100);
    assertEquals(1, left.size());
    assertArrayEquals(key("tenant-a", "s2"), left.get(0).key());
    // A key under another prefix leaves this scan's entry alone, and is not in it.
    store.commit(new Changes().put(Table.INDEX, key("tenant-ab", "s9"), new byte[0]));
    assertEquals(1, store.scan(Table.INDEX, prefix, null, 100).size());
  }

  @Test
  void cachedScan_servesSmallerLimits_andReloadsForLargerOnesWhenCut() {
    byte[] prefix = Keys.builder().str("app").str("t").build();
    Changes changes = new Changes();
    for (int i = 0; i < 5; i++) {
      changes.put(Table.INDEX, key("t", "s" + i), new byte[0]);
    }
    store.commit(changes);

    assertEquals(2, store.scan(Table.INDEX, prefix, null, 2).size()); // cut at 2
    assertEquals(1, store.scan(Table.INDEX, prefix, null, 1).size());
    assertEquals(5, store.scan(Table.INDEX, prefix, null, 10).size()); // reloaded: all 5
    assertEquals(5, store.scan(Table.INDEX, prefix, null, 50).size()); // complete: served
    assertEquals(3, store.scan(Table.INDEX, prefix, null, 3).size());
  }

  @Test
  void auditTable_andPagedScans_readTheDatabase() {
    store.commit(new Changes().put(Table.AUDIT, b("a\0"), b("1")));
    store.get(Table.AUDIT, b("a\0"));
    store.scan(Table.INDEX, b("p\0"), b("p\0x"), 10);
    store.scan(Table.INDEX, b("p"), null, 10); // prefix not ending a segment
    assertEquals(0, caching().weightedSize());
  }

  @Test
  void scanWithAVeryLongPrefix_readsTheDatabase_andStaysCorrect() {
    String longSegment = "x".repeat(CachingKvStore.MAX_SCAN_PREFIX);
    byte[] prefix = Keys.builder().str(longSegment).build();
    store.commit(new Changes().put(Table.INDEX, key(longSegment, "a"), new byte[0]));
    byte[] under = Keys.builder().str(longSegment).str("a").build();
    store.commit(new Changes().put(Table.INDEX, under, new byte[0]));
    assertEquals(1, store.scan(Table.INDEX, prefix, null, 10).size());

    store.commit(new Changes().put(Table.INDEX, Keys.builder().str(longSegment).str("b").build(),
        new byte[0]));

    assertEquals(2, store.scan(Table.INDEX, prefix, null, 10).size());
    assertEquals(0, caching().weightedSize());
  }

  @Test
  void sizeZero_cachesNothing() {
    try (KvStore off = new CachingKvStore(new DelegatingStore(store), 0)) {
      off.commit(new Changes().put(Table.SECRETS, b("k"), b("v")));
      off.get(Table.SECRETS, b("k"));
      off.get(Table.SECRETS, b("k"));
      assertEquals(0, ((CachingKvStore) off).stats().hitCount());
      assertEquals(0, ((CachingKvStore) off).weightedSize());
    }
  }

  @Test
  void weightBound_evicts_andReadsStayCorrect() {
    for (int i = 0; i < 400; i++) {
      store.commit(new Changes().put(Table.SECRETS, b("k" + i), new byte[8 * 1024]));
    }
    for (int i = 0; i < 400; i++) {
      assertEquals(8 * 1024, store.get(Table.SECRETS, b("k" + i)).orElseThrow().length);
    }
    caching().cleanUp();
    assertTrue(caching().weightedSize() <= 1 << 20, "bounded: " + caching().weightedSize());
  }

  @Test
  void closed_refusesEvenWhatIsCached() {
    store.commit(new Changes().put(Table.SECRETS, b("k"), b("v")));
    store.get(Table.SECRETS, b("k"));
    store.close();

    CofferException e = assertThrows(CofferException.class,
        () -> store.get(Table.SECRETS, b("k")));
    assertEquals(Reason.STORAGE_FAILURE, e.reason());
  }

  /**
   * The interleaving the stamps exist for: a reader loads the old bytes, a commit lands and
   * invalidates, then the reader stores what it loaded. The next read must see the commit.
   */
  @Test
  void readRacingACommit_cannotLeaveTheReplacedValueCached() throws Exception {
    CountDownLatch loaded = new CountDownLatch(1);
    CountDownLatch committed = new CountDownLatch(1);
    AtomicBoolean pauseNextGet = new AtomicBoolean();
    KvStore paused = new DelegatingStore(store) {
      @Override
      public Optional<byte[]> get(Table table, byte[] key) {
        Optional<byte[]> read = super.get(table, key);
        if (pauseNextGet.getAndSet(false)) {
          loaded.countDown();
          await(committed);
        }
        return read;
      }
    };
    try (CachingKvStore cache = new CachingKvStore(paused, 1 << 20)) {
      cache.commit(new Changes().put(Table.GRANTS, b("g"), b("active")));
      pauseNextGet.set(true);
      ExecutorService reader = Executors.newSingleThreadExecutor();
      try {
        Future<Optional<byte[]>> stale = reader.submit(() -> cache.get(Table.GRANTS, b("g")));
        assertTrue(loaded.await(10, TimeUnit.SECONDS));
        cache.commit(new Changes().put(Table.GRANTS, b("g"), b("revoked")));
        committed.countDown();
        assertArrayEquals(b("active"), stale.get(10, TimeUnit.SECONDS).orElseThrow());
      } finally {
        reader.shutdownNow();
      }

      assertArrayEquals(b("revoked"), cache.get(Table.GRANTS, b("g")).orElseThrow());
    }
  }

  /** Bounded race: readers never see a value older than the last one a commit returned. */
  @Test
  void concurrentReadersAndWriter_neverReadBehindAReturnedCommit() throws Exception {
    AtomicReference<Long> lastCommitted = new AtomicReference<>(0L);
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    byte[] prefix = Keys.builder().str("v").build();
    store.commit(new Changes().put(Table.SECRETS, b("counter"), b("0")));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> writer = pool.submit(() -> {
        for (long i = 1; i <= 2_000 && failure.get() == null; i++) {
          store.commit(new Changes().put(Table.SECRETS, b("counter"), b(Long.toString(i)))
              .put(Table.INDEX, Keys.builder().str("v").u64(i).build(), new byte[0]));
          lastCommitted.set(i);
        }
        stop.set(true);
      });
      Runnable reader = () -> {
        while (!stop.get() && failure.get() == null) {
          long floor = lastCommitted.get();
          long seen = Long.parseLong(new String(store.get(Table.SECRETS, b("counter"))
              .orElseThrow(), StandardCharsets.UTF_8));
          int entries = store.scan(Table.INDEX, prefix, null, 10_000).size();
          if (seen < floor || entries < floor) {
            failure.set("read " + seen + " and " + entries + " entries after commit " + floor);
          }
        }
      };
      Future<?> r1 = pool.submit(reader);
      Future<?> r2 = pool.submit(reader);
      writer.get(60, TimeUnit.SECONDS);
      r1.get(10, TimeUnit.SECONDS);
      r2.get(10, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertEquals(null, failure.get());
    assertFalse(store.get(Table.SECRETS, b("counter")).isEmpty());
    assertArrayEquals(b("2000"), store.get(Table.SECRETS, b("counter")).orElseThrow());
  }

  private static byte[] key(String tenant, String secret) {
    return Keys.builder().str("app").str(tenant).str(secret).build();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Forwards to another store; tests override one call to force an interleaving. */
  private static class DelegatingStore implements KvStore {
    private final KvStore inner;

    DelegatingStore(KvStore inner) {
      this.inner = inner;
    }

    @Override
    public Optional<byte[]> get(Table table, byte[] key) {
      return inner.get(table, key);
    }

    @Override
    public List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit) {
      return inner.scan(table, prefix, startAfter, limit);
    }

    @Override
    public void commit(Changes changes) {
      inner.commit(changes);
    }

    @Override
    public void purge(Table table, byte[] from, byte[] toExclusive) {
      inner.purge(table, from, toExclusive);
    }

    @Override
    public void close() {
      // the test's store is closed by the contract
    }
  }
}
