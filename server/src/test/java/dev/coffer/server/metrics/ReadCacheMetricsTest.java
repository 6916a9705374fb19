package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.CachingKvStore;
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

/** The read cache's hits, misses and size, from a real cache over a real store. */
class ReadCacheMetricsTest {

  @TempDir Path dir;
  CachingKvStore store;
  final MeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    store = new CachingKvStore(RocksKvStore.open(dir), 1 << 20);
    new ReadCacheMetrics(store).bindTo(registry);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void aMissThenHits_areCounted_andTheBytesShow() {
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    store.commit(new Changes().put(Table.SECRETS, key, new byte[100]));

    store.get(Table.SECRETS, key);
    store.get(Table.SECRETS, key);
    store.get(Table.SECRETS, key);

    assertEquals(1, registry.get("coffer.read.cache.misses").functionCounter().count());
    assertEquals(2, registry.get("coffer.read.cache.hits").functionCounter().count());
    assertEquals(0, registry.get("coffer.read.cache.evictions").functionCounter().count());
    assertTrue(registry.get("coffer.read.cache.size").gauge().value() >= 100);
  }
}
