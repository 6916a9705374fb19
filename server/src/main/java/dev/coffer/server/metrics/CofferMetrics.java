package dev.coffer.server.metrics;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.store.RocksDatabase;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's metrics, in one Prometheus registry: JVM and process metrics (bound at
 * creation), the gRPC interceptor ({@link #grpc()}), the hooks that count the vault's
 * internals ({@link #vault()}), RocksDB figures and the domain statistics job
 * ({@link #statistics}). {@link #scrape()} renders the Prometheus text format;
 * {@link MetricsHttpServer} serves it. Third-party instrumentation keeps its usual names
 * ({@code grpc_server_*}, {@code jvm_*}, {@code process_*}, {@code system_*}), with label
 * names in snake_case and the two names promtool's lint refuses changed, so the exposition
 * passes {@code promtool check metrics}.
 *
 * <p>Security: every metric Coffer defines is named {@code coffer_*} and labelled only by
 * bounded values (tenant ids, API method names, status codes, fixed words); no value,
 * token, verifier, record id or principal id is ever a label, so the exposition may be
 * served to any network that may see tenant ids.
 */
public final class CofferMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Duration statisticsPeriod;
  private final int statisticsRecordsPerRun;
  private final GrpcServerMetrics grpc;
  private volatile VaultStatistics statistics;

  private CofferMetrics(Duration statisticsPeriod, int statisticsRecordsPerRun) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        .meterFilter(GrpcServerMetrics.latencyBuckets())
        .meterFilter(MeterFilter.renameTag("grpc.server", "methodType", "method_type"))
        .meterFilter(MeterFilter.renameTag("grpc.server", "statusCode", "status_code"))
        // Names promtool's lint refuses: a unit abbreviation, a gauge ending in _count.
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(rename("system.cpu.count", "system.cpus"));
    this.statisticsPeriod = statisticsPeriod;
    this.statisticsRecordsPerRun = statisticsRecordsPerRun;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    this.grpc = new GrpcServerMetrics(registry);
  }

  /** Metrics with the default statistics period (30 s) and work bound per run. */
  public static CofferMetrics create() {
    return create(VaultStatistics.DEFAULT_PERIOD);
  }

  public static CofferMetrics create(Duration statisticsPeriod) {
    return create(statisticsPeriod, VaultStatistics.DEFAULT_RECORDS_PER_RUN);
  }

  public static CofferMetrics create(Duration statisticsPeriod, int statisticsRecordsPerRun) {
    return new CofferMetrics(statisticsPeriod, statisticsRecordsPerRun);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4) of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  public GrpcServerMetrics grpc() {
    return grpc;
  }

  /** The decorators and listeners that count inside the vault. */
  public VaultInstrumentation vault() {
    return VaultInstrumentation.into(registry);
  }

  /**
   * Binds the RocksDB figures of {@code store} and returns the (not yet started)
   * statistics job over it; call once per store.
   */
  public VaultStatistics statistics(RocksDatabase store, Clock clock) {
    new RocksDbMetrics(store).bindTo(registry);
    statistics = new VaultStatistics(store, clock, registry, statisticsPeriod,
        statisticsRecordsPerRun);
    return statistics;
  }

  /**
   * Binds the Raft figures of a cluster node ({@link ClusterMetrics}: the
   * {@code coffer_cluster_*} series); call once, when the vault is a cluster node.
   */
  public ClusterMetrics cluster(ClusterNode node, Clock clock) {
    ClusterMetrics cluster = new ClusterMetrics(node, clock);
    cluster.bindTo(registry);
    return cluster;
  }

  /** The statistics job {@link #statistics} made, if any (to refresh it on demand). */
  public Optional<VaultStatistics> statisticsJob() {
    return Optional.ofNullable(statistics);
  }

  private static MeterFilter rename(String from, String to) {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals(from) ? id.withName(to) : id;
      }
    };
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
