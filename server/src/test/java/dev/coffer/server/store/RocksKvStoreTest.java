package dev.coffer.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.FlushOptions;
import org.rocksdb.PerfContext;
import org.rocksdb.PerfLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Runs the {@link KvStoreContract} on RocksDB, plus what only RocksDB can show. */
class RocksKvStoreTest extends KvStoreContract {

  private static final Pattern WAL_STATS =
      Pattern.compile("Cumulative WAL: (\\d+) writes, (\\d+) syncs");

  @TempDir
  Path dir;

  @Override
  protected KvStore openStore() {
    return RocksKvStore.open(dir);
  }

  private RocksKvStore rocks() {
    return (RocksKvStore) store;
  }

  @Test
  void commit_syncsTheWal_everyTime() throws RocksDBException {
    long[] before = walWritesAndSyncs();
    for (int i = 0; i < 30; i++) {
      store.commit(new Changes().put(Table.SECRETS, b("k" + i), b("v")));
    }
    long[] after = walWritesAndSyncs();

    assertEquals(30, after[0] - before[0], "WAL writes");
    assertEquals(30, after[1] - before[1], "WAL syncs");
  }

  @Test
  void latestSequenceNumber_countsEveryKeyOfEveryBatch_andNothingElse() {
    long start = rocks().latestSequenceNumber();
    store.commit(new Changes().put(Table.SECRETS, b("a"), b("1"))
        .put(Table.INDEX, b("b"), new byte[0]).delete(Table.GRANTS, b("c")));
    assertEquals(start + 3, rocks().latestSequenceNumber(), "one per put or delete");
    store.get(Table.SECRETS, b("a"));
    store.scan(Table.SECRETS, new byte[0], null, 10);
    store.commit(new Changes());
    assertEquals(start + 3, rocks().latestSequenceNumber(), "reads and empty batches: none");
  }

  @Test
  void concurrentCommits_shareWalSyncs() throws Exception {
    int threads = 16;
    int commitsPerThread = 50;
    long[] before = walWritesAndSyncs();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          writers.add(pool.submit(() -> {
            for (int i = 0; i < commitsPerThread; i++) {
              store.commit(new Changes()
                  .put(Table.AUDIT, Keys.builder().u64(thread).u64(i).build(), new byte[64]));
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
    long[] after = walWritesAndSyncs();

    long writes = after[0] - before[0];
    long syncs = after[1] - before[1];
    assertEquals(threads * commitsPerThread, writes, "every commit went through the WAL");
    assertTrue(syncs > 0 && syncs < writes, "group commit: " + syncs + " syncs for " + writes);
  }

  @Test
  void scan_stopsAtThePrefixEnd_withoutWalkingWhatFollows() throws RocksDBException {
    Changes changes = new Changes();
    for (int i = 0; i < 5; i++) {
      changes.put(Table.SECRETS, b("p" + i), b("v"));
    }
    for (int i = 0; i < 5000; i++) {
      byte[] key = b(String.format("q%05d", i));
      changes.put(Table.SECRETS, key, b("v")).delete(Table.SECRETS, key);
    }
    changes.put(Table.SECRETS, b("r"), b("v"));
    store.commit(changes);

    RocksDB db = rocks().db();
    db.setPerfLevel(PerfLevel.ENABLE_COUNT);
    try {
      PerfContext perf = db.getPerfContext();
      perf.reset();
      assertEquals(5, store.scan(Table.SECRETS, b("p"), null, 100).size());
      long skipped = perf.getInternalDeleteSkippedCount() + perf.getInternalKeySkippedCount();
      assertTrue(skipped < 50, "walked " + skipped + " deleted keys after the prefix");

      perf.reset();
      assertEquals(2, store.scan(Table.SECRETS, b(""), null, 2).size());
      assertTrue(perf.getNextOnMemtableCount() < 10, "a 2-entry page read more entries");
    } finally {
      db.setPerfLevel(PerfLevel.DISABLE);
    }
  }

  @Test
  void figures_reportKeysAndBytes() throws RocksDBException {
    Random random = new Random(1);
    Changes changes = new Changes();
    for (int i = 0; i < 100; i++) {
      byte[] ciphertextLike = new byte[100];
      random.nextBytes(ciphertextLike);
      changes.put(Table.SECRETS, b("k" + i), ciphertextLike);
    }
    store.commit(changes);
    try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
      rocks().db().flush(wait, rocks().handle(Table.SECRETS));
    }

    assertEquals(100, rocks().estimatedKeys(Table.SECRETS));
    assertEquals(0, rocks().estimatedKeys(Table.TENANTS));
    assertTrue(rocks().liveDataBytes() >= 100 * 100, "live bytes " + rocks().liveDataBytes());
    assertTrue(rocks().pendingCompactionBytes() >= 0);
  }

  @Test
  void close_isIdempotent_andLaterCallsAreStorageFailures() {
    store.commit(new Changes().put(Table.SECRETS, b("k"), b("v")));
    store.close();
    store.close();

    for (Runnable call : List.<Runnable>of(
        () -> store.get(Table.SECRETS, b("k")),
        () -> store.scan(Table.SECRETS, b(""), null, 10),
        () -> store.commit(new Changes().put(Table.SECRETS, b("k"), b("v"))),
        () -> rocks().liveDataBytes())) {
      CofferException e = assertThrows(CofferException.class, call::run);
      assertEquals(Reason.STORAGE_FAILURE, e.reason());
    }
  }

  @Test
  void secondOpenOfTheSameDirectory_isAStorageFailureWithoutTheKey() {
    store.commit(new Changes().put(Table.SECRETS, b("secret-looking-key"), b("v")));

    CofferException e = assertThrows(CofferException.class, () -> RocksKvStore.open(dir));

    assertEquals(Reason.STORAGE_FAILURE, e.reason());
    assertEquals("storage open failed", e.getMessage());
    assertEquals("v", s(store.get(Table.SECRETS, b("secret-looking-key")).orElseThrow()));
  }

  @Test
  void open_keepsColumnFamiliesItDoesNotKnow() throws RocksDBException {
    rocks().db().createColumnFamily(new ColumnFamilyDescriptor(
        "from-a-newer-version".getBytes(StandardCharsets.UTF_8))).close();
    store.commit(new Changes().put(Table.META, b("m"), b("v")));
    store.close();

    store = openStore();

    assertEquals("v", s(store.get(Table.META, b("m")).orElseThrow()));
  }

  /** Cumulative WAL writes and syncs, from RocksDB's own statistics. */
  private long[] walWritesAndSyncs() throws RocksDBException {
    String stats = rocks().db().getProperty("rocksdb.dbstats");
    Matcher m = WAL_STATS.matcher(stats);
    assertTrue(m.find(), "no WAL statistics in rocksdb.dbstats");
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }
}
