package dev.coffer.server.bench;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Envelope encryption of one vaulted value as the vault does it ({@code Keyring} ->
 * {@code TinkEnvelopeCipher}): seal makes a fresh AES-256-GCM data key, encrypts the 56-byte
 * value and wraps the key with the KEK; open unwraps and decrypts. Both bind the associated
 * data. This is the crypto cost of CreateSecret (vaulted) and RevealSecret.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class EnvelopeBenchmark {

  /** The shape of a generated client secret: cfr_cs_ + 43 base62 + 6 checksum characters. */
  static final byte[] VALUE = "cfr_cs_4q8DkV0bZr7xWm2NcPa9LtYh3Ue6JsQf1GiKoR5wXnB_0a1b2c"
      .getBytes(StandardCharsets.UTF_8);
  static final byte[] ASSOCIATED =
      "tenant=acme/secret=sec_01HZX4Q8M2/version=1".getBytes(StandardCharsets.UTF_8);

  private Path dir;
  private EnvelopeCipher cipher;
  private SealedSecret sealed;

  @Setup
  public void setUp() {
    dir = BenchKeys.tempDir("coffer-jmh-envelope");
    cipher = BenchKeys.keyring(dir).envelopeCipher();
    sealed = cipher.seal(SecretValue.adopt(VALUE.clone()), ASSOCIATED);
  }

  @TearDown
  public void tearDown() {
    BenchKeys.delete(dir);
  }

  @Benchmark
  public SealedSecret seal() {
    return cipher.seal(SecretValue.adopt(VALUE.clone()), ASSOCIATED);
  }

  @Benchmark
  public int open() {
    try (SecretValue value = cipher.open(sealed, ASSOCIATED)) {
      return value.length();
    }
  }
}
