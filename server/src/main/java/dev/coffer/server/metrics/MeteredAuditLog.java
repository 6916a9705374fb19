package dev.coffer.server.metrics;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.store.Changes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link AuditLog} that counts events written ({@code coffer_audit_events_written_total}
 * by action and outcome) and writes that failed ({@code coffer_audit_write_failures_total}).
 * Behaves exactly as its delegate: a failed write still throws, so callers still fail
 * closed.
 *
 * <p>Security: labels are the event's action (an enum) and outcome (one of a few fixed
 * words; anything else is counted as {@code other}); actor, target, reason, request id and
 * peer never become labels.
 */
public final class MeteredAuditLog implements AuditLog {

  static final String WRITTEN = "coffer.audit.events.written";
  static final String FAILURES = "coffer.audit.write.failures";
  private static final Set<String> OUTCOMES =
      Set.of(AuditEvent.ALLOWED, AuditEvent.DENIED, AuditEvent.FAILED);

  private final AuditLog delegate;
  private final Meter.MeterProvider<Counter> written;
  private final Counter failures;

  public MeteredAuditLog(AuditLog delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.written = Counter.builder(WRITTEN)
        .description("Audit events durably written, by action and outcome")
        .withRegistry(registry);
    this.failures = Counter.builder(FAILURES)
        .description("Audit writes that failed (the audited operation was refused)")
        .register(registry);
  }

  /** The wrapped log, for callers that need its own features. */
  public AuditLog delegate() {
    return delegate;
  }

  @Override
  public void commit(Changes changes, AuditEvent event) {
    try {
      delegate.commit(changes, event);
    } catch (RuntimeException e) {
      failures.increment();
      throw e;
    }
    count(event);
  }

  @Override
  public void record(AuditEvent event) {
    try {
      delegate.record(event);
    } catch (RuntimeException e) {
      failures.increment();
      throw e;
    }
    count(event);
  }

  @Override
  public CompletableFuture<Void> commitAsync(Changes changes, AuditEvent event) {
    return delegate.commitAsync(changes, event).whenComplete((ok, failure) -> {
      if (failure == null) {
        count(event);
      } else {
        failures.increment();
      }
    });
  }

  @Override
  public long lastSequence() {
    return delegate.lastSequence();
  }

  private void count(AuditEvent event) {
    String outcome = OUTCOMES.contains(event.outcome()) ? event.outcome() : "other";
    written.withTags("action", event.action().name(), "outcome", outcome).increment();
  }
}
