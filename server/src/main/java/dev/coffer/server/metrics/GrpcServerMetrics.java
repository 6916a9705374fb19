package dev.coffer.server.metrics;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Per-RPC metrics from Micrometer's {@link MetricCollectingServerInterceptor}: for every
 * method, {@code grpc_server_processing_duration_seconds}, a histogram by {@code service},
 * {@code method}, {@code method_type} and {@code status_code} whose {@code _count} is the
 * request count by status, plus {@code grpc_server_requests_received_messages_total} and
 * {@code grpc_server_responses_sent_messages_total}. Services are pre-registered so every
 * method shows an OK series at zero from the start. Applied outermost, so calls refused by
 * authentication or input checks are counted with their status too. (The registry's
 * filters, see {@link CofferMetrics}, give the histogram its buckets and the labels their
 * snake_case names.)
 *
 * <p>Security: labels are service and method names from the API and status code names;
 * nothing from requests, metadata or tokens.
 */
public final class GrpcServerMetrics {

  static final String DURATION = "grpc.server.processing.duration";

  /** Histogram bucket bounds: loopback calls take about a millisecond, synced writes more. */
  static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MetricCollectingServerInterceptor interceptor;

  /** Counts into {@code registry}, which should carry {@link #latencyBuckets()} already. */
  public GrpcServerMetrics(MeterRegistry registry) {
    this.interceptor = new MetricCollectingServerInterceptor(registry, UnaryOperator.identity(),
        UnaryOperator.identity(), Status.Code.OK);
  }

  /** {@code service} with every call counted and timed (and pre-registered). */
  public ServerServiceDefinition intercept(ServerServiceDefinition service) {
    interceptor.preregisterService(service);
    return ServerInterceptors.intercept(service, interceptor);
  }

  /** Turns the call timer into a Prometheus histogram with the {@link #BUCKETS} bounds. */
  public static MeterFilter latencyBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id,
          DistributionStatisticConfig config) {
        if (!id.getName().equals(DURATION)) {
          return config;
        }
        double[] nanos = new double[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
          nanos[i] = BUCKETS[i].toNanos();
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(nanos)
            .build()
            .merge(config);
      }
    };
  }
}
