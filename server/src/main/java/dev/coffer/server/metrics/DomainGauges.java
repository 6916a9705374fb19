package dev.coffer.server.metrics;

import dev.coffer.server.domain.SecretState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the latest {@link StatisticsSnapshot} as gauges. Each series reads the current
 * snapshot when scraped, so a new snapshot replaces every figure at once; a tenant's series
 * appear with the first snapshot that lists it. {@code coffer_secrets_next_expiry_seconds}
 * is computed at scrape time from the injected clock (never below 0) and is absent while no
 * active secret expires.
 *
 * <p>Security: labels are tenant ids (bounded: admins create tenants), states and window
 * names; never a record id.
 */
final class DomainGauges {

  private final Clock clock;
  private final AtomicReference<StatisticsSnapshot> current = new AtomicReference<>();
  private final MultiGauge secrets;
  private final MultiGauge expiring;
  private final MultiGauge grants;
  private final MultiGauge pending;
  private final MultiGauge nextExpiry;

  DomainGauges(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.secrets = MultiGauge.builder("coffer.secrets")
        .description("Secrets by tenant and state (ACTIVE, EXPIRED, REVOKED)")
        .register(registry);
    this.expiring = MultiGauge.builder("coffer.secrets.expiring")
        .description("Active secrets expiring within 1, 7 or 30 days (cumulative)")
        .register(registry);
    this.grants = MultiGauge.builder("coffer.grants.active")
        .description("Grants active now, by tenant")
        .register(registry);
    this.pending = MultiGauge.builder("coffer.access.requests.pending")
        .description("Access requests waiting for a decision, by tenant")
        .register(registry);
    this.nextExpiry = MultiGauge.builder("coffer.secrets.next.expiry")
        .description("Seconds until the next active secret expires")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("coffer.statistics.last.sweep.timestamp", current,
            ref -> ref.get() == null ? Double.NaN : ref.get().asOf().toEpochMilli() / 1000.0)
        .description("When the figures of the latest complete statistics sweep were taken")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("coffer.statistics.last.sweep.records", current,
            ref -> ref.get() == null ? Double.NaN : ref.get().recordsRead())
        .description("Records the latest complete statistics sweep read")
        .register(registry);
  }

  void publish(StatisticsSnapshot snapshot) {
    current.set(snapshot);
    List<MultiGauge.Row<?>> secretRows = new ArrayList<>();
    List<MultiGauge.Row<?>> expiringRows = new ArrayList<>();
    List<MultiGauge.Row<?>> grantRows = new ArrayList<>();
    List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
    for (String tenant : snapshot.tenants().keySet()) {
      for (SecretState state : SecretState.values()) {
        secretRows.add(row(Tags.of("tenant", tenant, "state", state.name()),
            s -> s.tenant(tenant).secrets(state)));
      }
      for (ExpiryWindow window : ExpiryWindow.values()) {
        expiringRows.add(row(Tags.of("tenant", tenant, "within", window.label()),
            s -> s.tenant(tenant).expiringWithin(window)));
      }
      grantRows.add(row(Tags.of("tenant", tenant), s -> s.tenant(tenant).activeGrants()));
      pendingRows.add(row(Tags.of("tenant", tenant), s -> s.tenant(tenant).pendingRequests()));
    }
    secrets.register(secretRows);
    expiring.register(expiringRows);
    grants.register(grantRows);
    pending.register(pendingRows);
    nextExpiry.register(snapshot.nextExpiry().isEmpty() ? List.of()
        : List.of(row(Tags.empty(), this::secondsToNextExpiry)));
  }

  private double secondsToNextExpiry(StatisticsSnapshot snapshot) {
    Instant next = snapshot.nextExpiry().orElse(null);
    if (next == null) {
      return Double.NaN;
    }
    Duration left = Duration.between(clock.instant(), next);
    return left.isNegative() ? 0 : left.toMillis() / 1000.0;
  }

  private MultiGauge.Row<AtomicReference<StatisticsSnapshot>> row(Tags tags,
      ToDoubleFunction<StatisticsSnapshot> figure) {
    return MultiGauge.Row.of(tags, current, ref -> figure.applyAsDouble(ref.get()));
  }
}
