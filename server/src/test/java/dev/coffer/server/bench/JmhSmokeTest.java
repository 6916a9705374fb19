package dev.coffer.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the JMH benchmarks from rotting: each runs for one very short iteration in this JVM
 * and must produce a result. Not a measurement, and no speed is asserted (the README's JMH
 * command measures).
 */
class JmhSmokeTest {

  @Test
  @Timeout(120)
  void everyBenchmark_runsOneShortIteration() throws Exception {
    Options options = new OptionsBuilder()
        .include("dev\\.coffer\\.server\\.bench\\..*Benchmark\\..*")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .verbosity(VerboseMode.SILENT)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    List<String> names = results.stream()
        .map(r -> r.getParams().getBenchmark().replaceFirst(".*\\.bench\\.", "")).sorted()
        .toList();
    assertEquals(List.of("EnvelopeBenchmark.open", "EnvelopeBenchmark.seal",
        "SecretGeneratorBenchmark.generate",
        "StoreCommitBenchmark.commitAlone", "StoreCommitBenchmark.commitGrouped16",
        "StoreReadBenchmark.cachedGet", "StoreReadBenchmark.cachedScan",
        "StoreReadBenchmark.rocksGet", "StoreReadBenchmark.rocksScan",
        "VerifierMacBenchmark.compute", "VerifierMacBenchmark.verify"), names);
    for (RunResult r : results) {
      assertTrue(r.getPrimaryResult().getSampleCount() > 0, r.getParams().getBenchmark());
    }
  }
}
