package dev.coffer.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KvStore} must have (in the style of Vault's
 * {@code ExerciseBackend}). An implementation's test extends this class and says how to open
 * its store; every test here then runs against it.
 */
abstract class KvStoreContract {

  /** Opens the store under test; every call within one test opens the same storage. */
  protected abstract KvStore openStore();

  protected KvStore store;

  @BeforeEach
  void openIt() {
    store = openStore();
  }

  @AfterEach
  void closeIt() {
    store.close();
  }

  @Test
  void putThenGet_returnsValue() {
    store.commit(new Changes().put(Table.SECRETS, b("k"), b("v")));

    assertEquals("v", s(store.get(Table.SECRETS, b("k")).orElseThrow()));
  }

  @Test
  void missingKey_isEmpty() {
    store.commit(new Changes().put(Table.SECRETS, b("k"), b("v")));

    assertTrue(store.get(Table.SECRETS, b("k2")).isEmpty());
    assertTrue(store.get(Table.SECRETS, b("")).isEmpty());
  }

  @Test
  void commit_isAtomicAcrossTables() throws Exception {
    store.commit(new Changes()
        .put(Table.SECRETS, b("s"), b("1"))
        .put(Table.INDEX, b("i"), new byte[0])
        .put(Table.AUDIT, b("a"), b("3")));
    assertEquals("1", s(store.get(Table.SECRETS, b("s")).orElseThrow()));
    assertEquals(0, store.get(Table.INDEX, b("i")).orElseThrow().length);
    assertEquals("3", s(store.get(Table.AUDIT, b("a")).orElseThrow()));

    // Each batch writes n to SECRETS, then to AUDIT. A reader that sees n in SECRETS must
    // then see at least n in AUDIT, or it saw half a batch.
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> torn = reader.submit(() -> {
        int seenTorn = 0;
        while (!done.get()) {
          long first = store.get(Table.SECRETS, b("n")).map(KvStoreContract::u64).orElse(0L);
          long last = store.get(Table.AUDIT, b("n")).map(KvStoreContract::u64).orElse(0L);
          seenTorn += last < first ? 1 : 0;
        }
        return seenTorn;
      });
      for (long n = 1; n <= 300; n++) {
        store.commit(new Changes()
            .put(Table.SECRETS, b("n"), u64(n))
            .put(Table.AUDIT, b("n"), u64(n)));
      }
      done.set(true);
      assertEquals(0, torn.get());
    } finally {
      done.set(true);
      reader.shutdownNow();
    }
  }

  @Test
  void commit_withAnInvalidChange_appliesNothing() {
    Changes changes = new Changes()
        .put(Table.SECRETS, b("first"), b("v"))
        .put(Table.INDEX, b("second"), b("v"))
        .delete(Table.AUDIT, null);

    assertThrows(RuntimeException.class, () -> store.commit(changes));

    assertTrue(store.get(Table.SECRETS, b("first")).isEmpty());
    assertTrue(store.get(Table.INDEX, b("second")).isEmpty());
  }

  @Test
  void deleteInSameBatch_appliesInOrder() {
    store.commit(new Changes()
        .put(Table.SECRETS, b("gone"), b("1"))
        .delete(Table.SECRETS, b("gone"))
        .delete(Table.SECRETS, b("back"))
        .put(Table.SECRETS, b("back"), b("2"))
        .put(Table.SECRETS, b("twice"), b("3"))
        .put(Table.SECRETS, b("twice"), b("4")));

    assertTrue(store.get(Table.SECRETS, b("gone")).isEmpty());
    assertEquals("2", s(store.get(Table.SECRETS, b("back")).orElseThrow()));
    assertEquals("4", s(store.get(Table.SECRETS, b("twice")).orElseThrow()));
  }

  @Test
  void scan_returnsOnlyPrefixInOrder() {
    List<byte[]> inside = List.of(
        b("a/"), b("a/1"), b("a/10"), b("a/2"), bytes('a', '/', 0x7F), bytes('a', '/', 0x80));
    List<byte[]> outside = List.of(b("a"), b("a."), b("a0"), b("b/1"), b(""), b("/a/"));
    putAll(Table.SECRETS, shuffled(inside, outside));

    assertEquals(hex(inside), hex(keys(store.scan(Table.SECRETS, b("a/"), null, 100))));
    assertEquals(hex(List.of(b("b/1"))), hex(keys(store.scan(Table.SECRETS, b("b"), null, 100))));
    assertTrue(store.scan(Table.SECRETS, b("c"), null, 100).isEmpty());
  }

  @Test
  void scan_startAfter_resumesStrictlyAfter() {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      all.add(b(String.format("p/%02d", i)));
    }
    putAll(Table.SECRETS, shuffled(all, List.of(b("p"), b("q/00"))));

    assertEquals(hex(all.subList(6, 25)),
        hex(keys(store.scan(Table.SECRETS, b("p/"), b("p/05"), 100))));
    assertEquals(hex(all.subList(6, 25)),
        hex(keys(store.scan(Table.SECRETS, b("p/"), b("p/050"), 100))));
    assertEquals(hex(all), hex(keys(store.scan(Table.SECRETS, b("p/"), b("p"), 100))));
    assertEquals(hex(all), hex(keys(store.scan(Table.SECRETS, b("p/"), b("p/"), 100))));
    assertEquals(hex(all.subList(1, 25)),
        hex(keys(store.scan(Table.SECRETS, b("p/"), b("p/00"), 100))));
    assertTrue(store.scan(Table.SECRETS, b("p/"), b("p/24"), 100).isEmpty());
    assertTrue(store.scan(Table.SECRETS, b("p/"), b("q"), 100).isEmpty());

    List<byte[]> paged = new ArrayList<>();
    byte[] cursor = null;
    for (int pages = 0; pages < 100; pages++) {
      List<KeyValue> page = store.scan(Table.SECRETS, b("p/"), cursor, 4);
      if (page.isEmpty()) {
        break;
      }
      paged.addAll(keys(page));
      cursor = page.get(page.size() - 1).key();
    }
    assertEquals(hex(all), hex(paged));
  }

  @Test
  void scan_limit_isRespected() {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(b("k" + i));
    }
    putAll(Table.SECRETS, all);

    assertEquals(hex(all.subList(0, 3)), hex(keys(store.scan(Table.SECRETS, b("k"), null, 3))));
    assertEquals(hex(all.subList(0, 1)), hex(keys(store.scan(Table.SECRETS, b(""), null, 1))));
    assertEquals(hex(all), hex(keys(store.scan(Table.SECRETS, b("k"), null, 1000))));
    assertTrue(store.scan(Table.SECRETS, b("k"), null, 0).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> store.scan(Table.SECRETS, b("k"), null, -1));
  }

  @Test
  void scan_prefixEndingIn0xFF_isBounded() {
    List<byte[]> inside = List.of(
        bytes(0x01, 0xFF), bytes(0x01, 0xFF, 0x00), bytes(0x01, 0xFF, 0xFF),
        bytes(0x01, 0xFF, 0xFF, 0xFF));
    List<byte[]> outside = List.of(
        bytes(0x01), bytes(0x01, 0xFE, 0xFF), bytes(0x02), bytes(0x02, 0x00), bytes(0xFF));
    putAll(Table.SECRETS, shuffled(inside, outside));

    assertEquals(hex(inside), hex(keys(store.scan(Table.SECRETS, bytes(0x01, 0xFF), null, 100))));
    assertEquals(hex(inside.subList(2, 4)),
        hex(keys(store.scan(Table.SECRETS, bytes(0x01, 0xFF), bytes(0x01, 0xFF, 0x00), 100))));

    List<byte[]> allFf = List.of(bytes(0xFF, 0xFF), bytes(0xFF, 0xFF, 0x01), bytes(0xFF, 0xFF, 0xFF));
    putAll(Table.INDEX, shuffled(allFf, List.of(bytes(0xFF), bytes(0xFF, 0xFE, 0xFF))));
    assertEquals(hex(allFf), hex(keys(store.scan(Table.INDEX, bytes(0xFF, 0xFF), null, 100))));
  }

  @Test
  void scan_emptyPrefix_coversTable() {
    List<byte[]> all = List.of(b(""), bytes(0x00), b("m"), b("z/1"), bytes(0xFF), bytes(0xFF, 0xFF));
    putAll(Table.LOCATIONS, shuffled(all, List.of()));
    putAll(Table.TENANTS, List.of(b("other-table")));

    assertEquals(hex(all), hex(keys(store.scan(Table.LOCATIONS, new byte[0], null, 100))));
    assertEquals(hex(all.subList(3, 6)),
        hex(keys(store.scan(Table.LOCATIONS, new byte[0], b("m"), 100))));
  }

  @Test
  void tablesAreIsolated() {
    store.commit(new Changes()
        .put(Table.TENANTS, b("k"), b("tenant"))
        .put(Table.PRINCIPALS, b("k"), b("principal"))
        .put(Table.TOKENS, b("only-tokens"), b("t")));
    store.commit(new Changes().delete(Table.TENANTS, b("k")));

    assertTrue(store.get(Table.TENANTS, b("k")).isEmpty());
    assertEquals("principal", s(store.get(Table.PRINCIPALS, b("k")).orElseThrow()));
    assertTrue(store.get(Table.PRINCIPALS, b("only-tokens")).isEmpty());
    List<KeyValue> principals = store.scan(Table.PRINCIPALS, b(""), null, 100);
    assertEquals(1, principals.size());
    assertEquals("principal", s(principals.get(0).value()));
    for (Table table : Table.values()) {
      int expected = table == Table.PRINCIPALS || table == Table.TOKENS ? 1 : 0;
      assertEquals(expected, store.scan(table, b(""), null, 100).size(), table.name());
    }
  }

  @Test
  void reopen_keepsData() {
    store.commit(new Changes()
        .put(Table.META, b("m"), b("meta"))
        .put(Table.AUDIT, b("a"), b("audit"))
        .put(Table.SECRETS, b("deleted"), b("x")));
    store.commit(new Changes().delete(Table.SECRETS, b("deleted")));

    store.close();
    store = openStore();

    assertEquals("meta", s(store.get(Table.META, b("m")).orElseThrow()));
    assertEquals("audit", s(store.get(Table.AUDIT, b("a")).orElseThrow()));
    assertTrue(store.get(Table.SECRETS, b("deleted")).isEmpty());
  }

  @Test
  void concurrentCommits_allVisible() {
    int threads = 16;
    int commitsPerThread = 200;
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          writers.add(pool.submit(() -> {
            for (int i = 0; i < commitsPerThread; i++) {
              byte[] key = Keys.builder().u64(thread).u64(i).build();
              store.commit(new Changes()
                  .put(Table.SECRETS, key, u64(thread * 1000L + i))
                  .put(Table.INDEX, key, new byte[0]));
            }
          }));
        }
        for (Future<?> writer : writers) {
          writer.get();
        }
      } finally {
        pool.shutdownNow();
      }
    });

    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < commitsPerThread; i++) {
        byte[] key = Keys.builder().u64(t).u64(i).build();
        assertEquals(t * 1000L + i, u64(store.get(Table.SECRETS, key).orElseThrow()));
        assertTrue(store.get(Table.INDEX, key).isPresent());
      }
    }
    assertEquals(threads * commitsPerThread, store.scan(Table.INDEX, b(""), null, 10_000).size());
  }

  @Test
  void keys_sortLikeTheirSegments() {
    record Entry(String name, long n) {}
    List<Entry> entries = new ArrayList<>();
    for (String name : List.of("", "a", "ab", "abc", "b", "é", "z", "中", "\uD83D\uDD11")) {
      for (long n : new long[] {0, 1, 255, 256, Long.MAX_VALUE, -1}) {
        entries.add(new Entry(name, n));
      }
    }
    Comparator<Entry> bySegments = Comparator
        .comparing(Entry::name, Comparator.comparing((String x) -> x.codePoints().toArray(),
            Arrays::compare))
        .thenComparing(Entry::n, Long::compareUnsigned);
    List<Entry> shuffled = new ArrayList<>(entries);
    Collections.shuffle(shuffled, new Random(7));
    Changes changes = new Changes();
    for (Entry e : shuffled) {
      changes.put(Table.INDEX, Keys.builder().str(e.name()).u64(e.n()).build(), b(e.name()));
    }
    store.commit(changes);

    List<Entry> read = store.scan(Table.INDEX, b(""), null, 1000).stream()
        .map(kv -> {
          Keys.Reader r = Keys.reader(kv.key());
          return new Entry(r.str(), r.u64());
        })
        .collect(Collectors.toList());
    entries.sort(bySegments);
    assertEquals(entries, read);

    // A prefix of complete segments matches exactly that segment, not a longer string.
    List<KeyValue> onlyA = store.scan(Table.INDEX, Keys.builder().str("a").build(), null, 1000);
    assertEquals(6, onlyA.size());
    onlyA.forEach(kv -> assertEquals("a", s(kv.value())));
    assertNotEquals(hex(List.of(Keys.builder().str("ab").str("c").build())),
        hex(List.of(Keys.builder().str("a").str("bc").build())));
  }

  // --- helpers ---

  private void putAll(Table table, List<byte[]> keys) {
    Changes changes = new Changes();
    keys.forEach(k -> changes.put(table, k, k));
    store.commit(changes);
  }

  private static List<byte[]> shuffled(List<byte[]> some, List<byte[]> more) {
    List<byte[]> all = new ArrayList<>(some);
    all.addAll(more);
    Collections.shuffle(all, new Random(42));
    assertFalse(all.isEmpty());
    return all;
  }

  /** The keys of a page of entries written by {@link #putAll}, checking each value. */
  static List<byte[]> keys(List<KeyValue> page) {
    page.forEach(kv -> assertArrayEquals(kv.key(), kv.value(), "value written as its key"));
    return page.stream().map(KeyValue::key).collect(Collectors.toList());
  }

  static List<String> hex(List<byte[]> keys) {
    return keys.stream().map(HexFormat.of()::formatHex).collect(Collectors.toList());
  }

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  static String s(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] u64(long v) {
    return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  static long u64(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }
}
