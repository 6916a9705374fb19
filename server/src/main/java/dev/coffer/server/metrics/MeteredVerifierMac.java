package dev.coffer.server.metrics;

import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.domain.SecretValue;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * A {@link VerifierMac} that counts computations and verifications (operations
 * {@code mac_compute} and {@code mac_verify}). A mismatch is a successful verification;
 * failed verifications of presented secrets are counted by {@link VerifyFailureMeter}.
 * Behaves exactly as its delegate and keeps its constant-time property (the counter is
 * incremented after the comparison, the same way whatever its answer).
 *
 * <p>Security: counts only; it never looks at values, verifiers or contexts.
 */
public final class MeteredVerifierMac implements VerifierMac {

  private final VerifierMac delegate;
  private final CryptoOperation compute;
  private final CryptoOperation verify;

  public MeteredVerifierMac(VerifierMac delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.compute = new CryptoOperation(registry, "mac_compute");
    this.verify = new CryptoOperation(registry, "mac_verify");
  }

  @Override
  public byte[] compute(SecretValue value, byte[] context) {
    return compute.count(() -> delegate.compute(value, context));
  }

  @Override
  public boolean verify(byte[] verifier, SecretValue candidate, byte[] context) {
    return verify.count(() -> delegate.verify(verifier, candidate, context));
  }
}
