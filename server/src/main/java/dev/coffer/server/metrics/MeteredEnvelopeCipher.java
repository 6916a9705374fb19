package dev.coffer.server.metrics;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An {@link EnvelopeCipher} that counts seals and opens (with failures) and every
 * DATA_LOSS event: a vaulted value that fails to open ({@code coffer_data_loss_events_total}).
 * Behaves exactly as its delegate, exceptions included.
 *
 * <p>Security: counts only; it never looks at plaintext, ciphertext or associated data.
 */
public final class MeteredEnvelopeCipher implements EnvelopeCipher {

  static final String DATA_LOSS = "coffer.data.loss.events";

  private final EnvelopeCipher delegate;
  private final CryptoOperation seal;
  private final CryptoOperation open;
  private final Counter dataLoss;

  public MeteredEnvelopeCipher(EnvelopeCipher delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.seal = new CryptoOperation(registry, "seal");
    this.open = new CryptoOperation(registry, "open");
    this.dataLoss = Counter.builder(DATA_LOSS)
        .description("Vaulted values that failed to decrypt (answered DATA_LOSS)")
        .register(registry);
  }

  @Override
  public SealedSecret seal(SecretValue plaintext, byte[] associatedData) {
    return seal.count(() -> delegate.seal(plaintext, associatedData));
  }

  @Override
  public SecretValue open(SealedSecret sealed, byte[] associatedData) {
    try {
      return open.count(() -> delegate.open(sealed, associatedData));
    } catch (CofferException e) {
      if (e.reason().kind() == Reason.Kind.DATA_LOSS) {
        dataLoss.increment();
      }
      throw e;
    }
  }

  @Override
  public byte[] rewrap(byte[] wrappedDataKey, byte[] associatedData) {
    return delegate.rewrap(wrappedDataKey, associatedData);
  }

  @Override
  public OptionalInt wrappingKeyId(byte[] wrappedDataKey) {
    return delegate.wrappingKeyId(wrappedDataKey);
  }

  @Override
  public int primaryKeyId() {
    return delegate.primaryKeyId();
  }
}
