package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** In a JVM that sees two cores, as the build machine and small pods do. */
class CommonPoolParallelismTest {

  /** Prints which executor CompletableFuture's async stages use, after the call or without. */
  public static final class Probe {
    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("fixed")) {
        CommonPoolParallelism.atLeastTwoUnlessSet();
      }
      boolean commonPool = CompletableFuture.completedFuture(1).defaultExecutor()
          == ForkJoinPool.commonPool();
      System.out.print(commonPool ? "common-pool" : "thread-per-task");
    }
  }

  private static String probe(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:ActiveProcessorCount=2", "-cp", System.getProperty("java.class.path"),
        Probe.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the probe JVM did not finish");
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void onTwoCores_asyncStagesStartAThreadPerTask_unlessTheServerWidensTheCommonPool()
      throws Exception {
    assertEquals("thread-per-task", probe(), "the JDK's own choice on two cores");
    assertEquals("common-pool", probe("fixed"));
  }
}
