package dev.coffer.server.metrics;

import dev.coffer.server.store.RocksDatabase;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * RocksDB figures of the vault's store, read from RocksDB's own properties at scrape time
 * (each read is O(1) in the data size): live data bytes, bytes compaction still has to
 * rewrite, estimated keys per table, and cumulative WAL writes and syncs (their ratio shows
 * group commit at work). A figure that cannot be read (store closed) is NaN.
 *
 * <p>Security: table names are fixed; no key or value is ever read.
 */
public final class RocksDbMetrics implements MeterBinder {

  private final RocksDatabase store;

  public RocksDbMetrics(RocksDatabase store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("coffer.rocksdb.live.data", store, safe(RocksDatabase::liveDataBytes))
        .description("Estimated bytes of live data in RocksDB")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    Gauge.builder("coffer.rocksdb.pending.compaction", store,
            safe(RocksDatabase::pendingCompactionBytes))
        .description("Estimated bytes RocksDB compaction still has to rewrite")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    for (Table table : Table.values()) {
      Gauge.builder("coffer.rocksdb.estimated.keys", store, safe(s -> s.estimatedKeys(table)))
          .description("RocksDB's estimate of the keys in each table")
          .tag("table", table.columnFamily())
          .register(registry);
    }
    FunctionCounter.builder("coffer.rocksdb.wal.writes", store,
            safe(s -> s.walStatistics().writes()))
        .description("Write-ahead-log writes since the server started")
        .register(registry);
    FunctionCounter.builder("coffer.rocksdb.wal.syncs", store,
            safe(s -> s.walStatistics().syncs()))
        .description("Write-ahead-log fsyncs since the server started (shared by group commit)")
        .register(registry);
  }

  /** The figure, or NaN when it cannot be read or is not reported (negative). */
  private static ToDoubleFunction<RocksDatabase> safe(ToDoubleFunction<RocksDatabase> figure) {
    return s -> {
      try {
        double value = figure.applyAsDouble(s);
        return value < 0 ? Double.NaN : value;
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    };
  }
}
