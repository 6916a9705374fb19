package dev.coffer.server.crypto;

import dev.coffer.server.domain.SecretValue;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Generates every secret value the vault hands out: {@value ValueFormat#ENTROPY_BYTES}
 * bytes (256 bits) from a CSPRNG, encoded in a {@link ValueFormat}. The value is built
 * directly into the returned {@link SecretValue}'s bytes and the random bytes are wiped,
 * so no {@code String} copy is left behind. Thread-safe.
 */
public final class SecretGenerator {
  private final SecureRandom random;

  /** Uses a default {@link SecureRandom}. */
  public SecretGenerator() {
    this(new SecureRandom());
  }

  public SecretGenerator(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A fresh value in {@code format}; the caller owns it and should close it. */
  public SecretValue generate(ValueFormat format) {
    byte[] entropy = new byte[ValueFormat.ENTROPY_BYTES];
    random.nextBytes(entropy);
    return SecretValue.adopt(format.encode(entropy));
  }
}
