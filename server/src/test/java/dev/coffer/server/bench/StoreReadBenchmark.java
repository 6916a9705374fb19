package dev.coffer.server.bench;

import dev.coffer.server.store.CachingKvStore;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The reads every authenticated call makes, against 10,000 secret records (600 B) each with
 * an application index entry: a point read and a one-entry prefix scan, straight from
 * RocksDB ({@code rocks*}) and through the read cache once warm ({@code cached*}). The
 * records are flushed to SST files as in a running vault. Shows what the cache saves per
 * read and catches a regression in either path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreReadBenchmark {

  private static final int RECORDS = 10_000;

  private Path dir;
  private RocksKvStore rocks;
  private KvStore cached;
  private byte[][] recordKeys;
  private byte[][] indexPrefixes;

  @Setup
  public void setUp() {
    dir = BenchKeys.tempDir("coffer-jmh-read");
    rocks = RocksKvStore.open(dir.resolve("db"));
    recordKeys = new byte[RECORDS][];
    indexPrefixes = new byte[RECORDS][];
    byte[] record = new byte[600];
    for (int start = 0; start < RECORDS; start += 1_000) {
      Changes changes = new Changes();
      for (int i = start; i < start + 1_000; i++) {
        String secret = "sec_" + i;
        recordKeys[i] = Keys.builder().str("acme").str(secret).build();
        indexPrefixes[i] = Keys.builder().str("sec-app").str("acme").str("app-" + i).build();
        changes.put(Table.SECRETS, recordKeys[i], record)
            .put(Table.INDEX, Keys.builder().str("sec-app").str("acme").str("app-" + i)
                .str(secret).build(), new byte[0]);
      }
      rocks.commit(changes);
    }
    rocks.purge(Table.META, new byte[] {0}, new byte[] {1}); // flushes every memtable
    cached = new CachingKvStore(rocks, 64L << 20);
    for (int i = 0; i < RECORDS; i++) { // warm
      cached.get(Table.SECRETS, recordKeys[i]);
      cached.scan(Table.INDEX, indexPrefixes[i], null, 100);
    }
  }

  @TearDown
  public void tearDown() {
    cached.close(); // closes rocks too
    BenchKeys.delete(dir);
  }

  @Benchmark
  public byte[] rocksGet() {
    return rocks.get(Table.SECRETS, recordKeys[next()]).orElseThrow();
  }

  @Benchmark
  public byte[] cachedGet() {
    return cached.get(Table.SECRETS, recordKeys[next()]).orElseThrow();
  }

  @Benchmark
  public List<?> rocksScan() {
    return rocks.scan(Table.INDEX, indexPrefixes[next()], null, 100);
  }

  @Benchmark
  public List<?> cachedScan() {
    return cached.scan(Table.INDEX, indexPrefixes[next()], null, 100);
  }

  private static int next() {
    return ThreadLocalRandom.current().nextInt(RECORDS);
  }
}
