package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.BackgroundJob.Placement;
import dev.coffer.server.testing.JobThreads;
import dev.coffer.server.testing.TestVault;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server owns the vault's background jobs: none runs before it starts (opening the vault
 * or building the server starts no thread), each runs once while it serves, none after stop.
 */
class CofferServerJobsTest {

  private static final List<String> VAULT_JOBS = List.of("coffer-data-key-shredder",
      "coffer-lifecycle-monitor", "coffer-kek-rewrap", "coffer-assertion-replay-purge",
      "coffer-id-token-replay-purge");

  @TempDir Path dir;

  private static long threads() {
    return VAULT_JOBS.stream().mapToLong(JobThreads::count).sum();
  }

  @Test
  void openingTheVault_startsNoJobThread() {
    long before = threads();
    TestVault t = new TestVault(dir);
    try {
      assertEquals(before, threads(), "a job thread started while the vault opened");
    } finally {
      t.close();
    }
  }

  @Test
  void jobThreads_runOnlyBetweenStartAndStop() throws Exception {
    try (TestVault t = new TestVault(dir)) {
      long before = threads();
      CofferServer server = CofferServer.builder(t.vault)
          .transport(InProcessServerBuilder.forName(InProcessServerBuilder.generateName()))
          .clock(t.clock).build();
      assertEquals(before, threads(), "building the server starts no job");
      server.start();
      try {
        for (String name : VAULT_JOBS) {
          assertTrue(JobThreads.count(name) >= 1, name + " runs while the server serves");
        }
        assertEquals(before + VAULT_JOBS.size(), threads(), "one thread per job");
      } finally {
        server.stop(Duration.ofSeconds(1));
      }
      for (int i = 0; i < 400 && threads() != before; i++) {
        Thread.sleep(25); // a stopped executor's thread may take a moment to exit
      }
      assertEquals(before, threads(), "no job thread after stop");
    }
  }

  @Test
  void theServersJobs_areTheVaultsInOrder_andOnlyWritersAreLeaderOnly() {
    try (TestVault t = new TestVault(dir)) {
      CofferServer server = CofferServer.builder(t.vault)
          .transport(InProcessServerBuilder.forName(InProcessServerBuilder.generateName()))
          .build();
      assertEquals(VAULT_JOBS,
          server.backgroundJobs().stream().map(BackgroundJob::name).toList());
      Map<String, Placement> placement = server.backgroundJobs().stream()
          .collect(Collectors.toMap(BackgroundJob::name, BackgroundJob::placement));
      assertEquals(Placement.LEADER_ONLY, placement.get("coffer-kek-rewrap"));
      assertEquals(Placement.LEADER_ONLY, placement.get("coffer-assertion-replay-purge"));
      assertEquals(Placement.LEADER_ONLY, placement.get("coffer-id-token-replay-purge"));
      assertEquals(Placement.EVERY_NODE, placement.get("coffer-data-key-shredder"));
      assertEquals(Placement.EVERY_NODE, placement.get("coffer-lifecycle-monitor"));
    }
  }
}
