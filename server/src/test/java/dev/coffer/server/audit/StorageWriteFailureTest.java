package dev.coffer.server.audit;

import static dev.coffer.server.audit.AuditFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.StorageWriteHealth;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A storage write failure (disk full) during the audit group commit is logged with its
 * cause, rate limited and without any value, shown while it lasts, and cleared by the next
 * write that succeeds. The fault is a real {@link RocksDBException} thrown by a wrapper of
 * a real RocksDB store (a full disk cannot be provoked portably in a test).
 */
class StorageWriteFailureTest {

  private static final String VALUE = "VALUE-THAT-MUST-NOT-BE-LOGGED";

  /** A real store whose commits throw what RocksKvStore throws on a full disk, when set. */
  private static final class FullDisk implements KvStore {
    final RocksKvStore real;
    volatile RocksDBException failure;

    FullDisk(RocksKvStore real) {
      this.real = real;
    }

    @Override
    public Optional<byte[]> get(Table table, byte[] key) {
      return real.get(table, key);
    }

    @Override
    public List<KeyValue> scan(Table table, byte[] prefix, byte[] startAfter, int limit) {
      return real.scan(table, prefix, startAfter, limit);
    }

    @Override
    public void commit(Changes changes) {
      RocksDBException e = failure;
      if (e != null) {
        throw new CofferException(Reason.STORAGE_FAILURE, "storage write failed", e);
      }
      real.commit(changes);
    }

    @Override
    public void purge(Table table, byte[] from, byte[] toExclusive) {
      real.purge(table, from, toExclusive);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);
  final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  final Logger logger = Logger.getLogger(StorageWriteHealth.class.getName());
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  FullDisk store;
  StorageWriteHealth health;
  ChainedAuditLog log;

  @BeforeEach
  void setUp() {
    logger.addHandler(capture);
    store = new FullDisk(RocksKvStore.open(dir.resolve("db")));
    health = new StorageWriteHealth(clock);
    log = new ChainedAuditLog(store, AuditFixtures.signer(dir, "root"), 50, health);
  }

  @AfterEach
  void tearDown() {
    logger.removeHandler(capture);
    log.close();
    store.close();
  }

  private void write(String key) {
    log.commit(new Changes().put(Table.META, key.getBytes(StandardCharsets.UTF_8),
        VALUE.getBytes(StandardCharsets.UTF_8)), AuditFixtures.event("default", "alice",
        AuditAction.SECRET_CREATE, "secrets/" + key, clock.instant()));
  }

  private List<String> lines(Level level) {
    return logged.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage)
        .toList();
  }

  @Test
  void diskFull_isLoggedOncePerInterval_shownWhileItLasts_andClearedByTheNextWrite() {
    write("k0");
    assertEquals(Optional.empty(), health.current());

    store.failure = new RocksDBException("IO error: No space left on device", new Status(
        Status.Code.IOError, Status.SubCode.NoSpace,
        "No space left on device: While appending to file: db/000009.log"));
    for (int i = 1; i <= 3; i++) {
      String key = "k" + i;
      CofferException e = assertThrows(CofferException.class, () -> write(key));
      assertEquals(Reason.STORAGE_FAILURE, e.reason());
      clock.advance(Duration.ofSeconds(1));
    }
    StorageWriteHealth.Failure f = health.current().orElseThrow();
    assertEquals(3, f.failedWrites());
    assertEquals(T0, f.since());
    assertEquals(T0.plusSeconds(2), f.last());
    assertTrue(f.cause().startsWith("RocksDBException IOError/NoSpace: No space left on device"),
        f.cause());
    assertEquals(1, lines(Level.SEVERE).size(), "one line for three failures in 10 s");
    assertTrue(lines(Level.SEVERE).get(0).contains("No space left on device"), logged.toString());

    clock.advance(Duration.ofSeconds(10));
    assertThrows(CofferException.class, () -> write("k4"));
    assertEquals(2, lines(Level.SEVERE).size());
    assertTrue(lines(Level.SEVERE).get(1).contains("2 more like it suppressed"),
        lines(Level.SEVERE).get(1));

    store.failure = null;
    write("k5");
    assertEquals(Optional.empty(), health.current(), "cleared by the next successful write");
    assertEquals(1, lines(Level.WARNING).size());
    assertTrue(lines(Level.WARNING).get(0).contains("succeed again, after 4 failed writes"),
        lines(Level.WARNING).get(0));
    for (LogRecord r : logged) {
      assertNull(r.getThrown(), "no stack trace");
      assertFalse(r.getMessage().contains(VALUE), r.getMessage());
    }
    assertEquals(2, log.lastSequence(), "the failed events are not in the chain");
  }

  @Test
  void aNonIoRocksDbError_isDescribedByItsCodeOnly() {
    store.failure = new RocksDBException("Corruption: bad entry " + VALUE,
        new Status(Status.Code.Corruption, Status.SubCode.None, "bad entry " + VALUE));
    assertThrows(CofferException.class, () -> write("k1"));
    assertEquals("RocksDBException Corruption", health.current().orElseThrow().cause());
    assertFalse(logged.get(0).getMessage().contains(VALUE), logged.get(0).getMessage());
  }
}
