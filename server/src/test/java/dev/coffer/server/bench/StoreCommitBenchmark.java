package dev.coffer.server.bench;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link RocksKvStore#commit} of a batch shaped like CreateSecret's, synced like every vault
 * write: the secret record (600 B), its three index entries, the audit event (300 B), its
 * tenant index entry and the audit head (48 B), all new keys. From one thread (each commit
 * pays its own fsync) and from 16 (RocksDB's group commit shares fsyncs). The store sits in a
 * temp dir: the figure is the disk's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreCommitBenchmark {

  private static final byte[] RECORD = random(600);
  private static final byte[] AUDIT_EVENT = random(300);
  private static final byte[] AUDIT_HEAD = random(48);
  private static final byte[] EMPTY = new byte[0];

  private final AtomicLong sequence = new AtomicLong();
  private Path dir;
  private RocksKvStore store;

  @Setup
  public void setUp() {
    dir = BenchKeys.tempDir("coffer-jmh-store");
    store = RocksKvStore.open(dir.resolve("db"));
  }

  @TearDown
  public void tearDown() {
    store.close();
    BenchKeys.delete(dir);
  }

  @Benchmark
  @Threads(1)
  public void commitAlone() {
    store.commit(createSecretBatch(sequence.incrementAndGet()));
  }

  @Benchmark
  @Threads(16)
  public void commitGrouped16() {
    store.commit(createSecretBatch(sequence.incrementAndGet()));
  }

  static Changes createSecretBatch(long n) {
    String id = "sec_" + Long.toString(n, 36);
    return new Changes()
        .put(Table.SECRETS, key("acme", id), RECORD)
        .put(Table.INDEX, key("sec-app", "acme", "4f8e2c1a-app", id), EMPTY)
        .put(Table.INDEX, key("sec-loc", "acme", "/Finance/", id), EMPTY)
        .put(Table.INDEX, key("sec-exp", "acme", Long.toString(1_800_000_000_000L + n), id), EMPTY)
        .put(Table.AUDIT, ByteBuffer.allocate(8).putLong(n).array(), AUDIT_EVENT)
        .put(Table.INDEX, key("audit", "acme", Long.toString(n)), EMPTY)
        .put(Table.META, key("audit-head"), AUDIT_HEAD);
  }

  private static byte[] key(String... parts) {
    return String.join("\0", parts).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }
}
