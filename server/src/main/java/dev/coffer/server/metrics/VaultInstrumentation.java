package dev.coffer.server.metrics;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.service.assertions.ClientAssertions;
import dev.coffer.server.service.identity.FederatedLogin;
import dev.coffer.server.service.keys.KekRewrapJob;
import dev.coffer.server.service.secrets.LeakReports;
import dev.coffer.server.service.secrets.SecretVerifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The hooks through which the vault's internals are counted, applied once where the vault
 * is wired: decorators around the audit log, the envelope cipher and the verifier MAC, and
 * the verifier's failure listener. {@link #none()} leaves everything as it is (metrics off,
 * tests that do not look at metrics).
 *
 * <p>Security: every decorator counts events with fixed, bounded labels and never sees a
 * value, token, verifier or identifier.
 */
public final class VaultInstrumentation {

  private static final VaultInstrumentation NONE = new VaultInstrumentation(null);

  private final MeterRegistry registry; // null: no instrumentation

  private VaultInstrumentation(MeterRegistry registry) {
    this.registry = registry;
  }

  /** No counting at all: every method returns what it is given. */
  public static VaultInstrumentation none() {
    return NONE;
  }

  /** Counts into {@code registry}. */
  public static VaultInstrumentation into(MeterRegistry registry) {
    return new VaultInstrumentation(Objects.requireNonNull(registry, "registry"));
  }

  public AuditLog audit(AuditLog log) {
    return registry == null ? log : new MeteredAuditLog(log, registry);
  }

  public EnvelopeCipher envelopeCipher(EnvelopeCipher cipher) {
    return registry == null ? cipher : new MeteredEnvelopeCipher(cipher, registry);
  }

  public VerifierMac verifierMac(VerifierMac mac) {
    return registry == null ? mac : new MeteredVerifierMac(mac, registry);
  }

  public SecretVerifier.FailureListener verifyFailures() {
    return registry == null ? SecretVerifier.FailureListener.NONE
        : new VerifyFailureMeter(registry);
  }

  /**
   * Gauges of the KEK re-wrap job: {@code coffer_kek_rewrap_running} (1 while re-wrapping),
   * {@code coffer_kek_rewrap_progress_ratio} and {@code coffer_kek_rewrap_rewrapped}.
   */
  public void kekRewrap(KekRewrapJob job) {
    if (registry == null) {
      return;
    }
    Gauge.builder("coffer.kek.rewrap.running",
        job, j -> j.progress().map(p -> p.running() ? 1.0 : 0.0).orElse(0.0))
        .description("1 while data keys are being re-wrapped after a KEK rotation")
        .register(registry);
    Gauge.builder("coffer.kek.rewrap.progress.ratio",
        job, j -> j.progress().map(p -> p.ratio()).orElse(1.0))
        .description("Share of data keys the current KEK re-wrap has gone through (1: done)")
        .register(registry);
    Gauge.builder("coffer.kek.rewrap.rewrapped",
        job, j -> j.progress().map(p -> (double) p.rewrapped()).orElse(0.0))
        .description("Data keys re-wrapped by the current or last KEK re-wrap job")
        .register(registry);
  }

  public LeakReports.Listener leakReports() {
    return registry == null ? LeakReports.Listener.NONE : new LeakReportMeter(registry);
  }

  public ClientAssertions.Listener assertionChecks() {
    return registry == null ? ClientAssertions.Listener.NONE
        : new AssertionCheckMeter(registry);
  }

  public FederatedLogin.Listener logins() {
    return registry == null ? FederatedLogin.Listener.NONE : new LoginMeter(registry);
  }
}
