package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RocksDB's own figures, read at scrape time from a real store. */
class RocksDbMetricsTest {

  @TempDir Path dir;
  RocksKvStore store;
  final MeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    store = RocksKvStore.open(dir);
    new RocksDbMetrics(store).bindTo(registry);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  double functionCounter(String name) {
    return registry.get(name).functionCounter().count();
  }

  @Test
  void everyCommit_isOneWalWriteAndSync() {
    double writes = functionCounter("coffer.rocksdb.wal.writes");
    double syncs = functionCounter("coffer.rocksdb.wal.syncs");
    for (int i = 0; i < 7; i++) {
      store.commit(new Changes().put(Table.SECRETS, ("k" + i).getBytes(StandardCharsets.UTF_8),
          new byte[16]));
    }

    assertEquals(writes + 7, functionCounter("coffer.rocksdb.wal.writes"));
    assertEquals(syncs + 7, functionCounter("coffer.rocksdb.wal.syncs"));
  }

  @Test
  void sizesAndKeyEstimates_areReported_perTable() {
    store.commit(new Changes().put(Table.TENANTS, "t".getBytes(StandardCharsets.UTF_8),
        new byte[8]));

    assertTrue(registry.get("coffer.rocksdb.live.data").gauge().value() >= 0);
    assertTrue(registry.get("coffer.rocksdb.pending.compaction").gauge().value() >= 0);
    assertEquals(1, registry.get("coffer.rocksdb.estimated.keys").tag("table", "tenants")
        .gauge().value());
    assertEquals(Table.values().length,
        registry.find("coffer.rocksdb.estimated.keys").gauges().size());
  }

  @Test
  void aClosedStore_readsAsNaN_notAnError() {
    store.close();

    assertTrue(Double.isNaN(registry.get("coffer.rocksdb.live.data").gauge().value()));
    assertTrue(Double.isNaN(functionCounter("coffer.rocksdb.wal.syncs")));
  }
}
