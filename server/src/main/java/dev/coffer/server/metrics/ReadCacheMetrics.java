package dev.coffer.server.metrics;

import dev.coffer.server.store.CachingKvStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The read cache in front of the store, read at scrape time: hits, misses (reads that went
 * to RocksDB), evictions, and the bytes held. A low hit ratio under steady load means the
 * cache is too small for the working set ({@code --read-cache-mb}).
 *
 * <p>Security: counts and sizes only; no key or value is read.
 */
public final class ReadCacheMetrics implements MeterBinder {

  private final CachingKvStore cache;

  public ReadCacheMetrics(CachingKvStore cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("coffer.read.cache.hits", cache, c -> c.stats().hitCount())
        .description("Reads served by the read cache")
        .register(registry);
    FunctionCounter.builder("coffer.read.cache.misses", cache, c -> c.stats().missCount())
        .description("Reads the read cache passed to RocksDB (misses)")
        .register(registry);
    FunctionCounter.builder("coffer.read.cache.evictions", cache,
            c -> c.stats().evictionCount())
        .description("Entries the read cache evicted to stay within its size")
        .register(registry);
    Gauge.builder("coffer.read.cache.size", cache, CachingKvStore::weightedSize)
        .description("Bytes of keys and values the read cache holds (approximate)")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
  }
}
