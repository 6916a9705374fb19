package dev.coffer.server.bench;

import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.SecretValue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A new secret value as CreateSecret mints it: 32 bytes from the default {@code SecureRandom},
 * then the base-62 body and CRC checksum of {@link ValueFormat}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SecretGeneratorBenchmark {

  private final SecretGenerator generator = new SecretGenerator();

  @Benchmark
  public int generate() {
    try (SecretValue value = generator.generate(ValueFormat.CLIENT_SECRET)) {
      return value.bytes()[ValueFormat.LENGTH - 1];
    }
  }
}
