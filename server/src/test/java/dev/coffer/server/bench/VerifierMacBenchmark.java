package dev.coffer.server.bench;

import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.domain.SecretValue;
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
 * The keyed verifier of a non-vaulted secret ({@code Keyring} -> {@code TinkVerifierMac},
 * HMAC-SHA256): compute is what CreateSecret stores, verify is what VerifySecret does for each
 * secret of the client (constant time, a match here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class VerifierMacBenchmark {

  private Path dir;
  private VerifierMac mac;
  private SecretValue value;
  private byte[] verifier;

  @Setup
  public void setUp() {
    dir = BenchKeys.tempDir("coffer-jmh-mac");
    mac = BenchKeys.keyring(dir).verifierMac();
    value = SecretValue.adopt(EnvelopeBenchmark.VALUE.clone());
    verifier = mac.compute(value, EnvelopeBenchmark.ASSOCIATED);
  }

  @TearDown
  public void tearDown() {
    value.close();
    BenchKeys.delete(dir);
  }

  @Benchmark
  public byte[] compute() {
    return mac.compute(value, EnvelopeBenchmark.ASSOCIATED);
  }

  @Benchmark
  public boolean verify() {
    return mac.verify(verifier, value, EnvelopeBenchmark.ASSOCIATED);
  }
}
