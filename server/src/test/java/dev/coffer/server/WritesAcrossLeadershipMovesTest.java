package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.LocalVaultCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader hands its own entries straight to its Raft server ({@code DirectProposer}); when
 * leadership moves while they are in flight, each entry must land once or not at all. Every
 * write here puts a key of its own guarded by "absent", so a second copy of an entry would
 * come back as CONCURRENT_CHANGE to a writer whose first copy landed. A write refused while a
 * leader hands over leadership (LeaderSteppingDownException, before it is appended) is sent
 * again, so none fails (12-27 of 320 failed before that).
 */
class WritesAcrossLeadershipMovesTest {

  private static final int WRITERS = 8;
  private static final int WRITES_EACH = 40;

  @TempDir Path dir;

  @Test
  void writesOnTheLeaderWhileLeadershipMovesTwice_allLandOnce_onEveryNode()
      throws Exception {
    try (LocalVaultCluster cluster = LocalVaultCluster.start(dir, 3)) {
      int first = cluster.awaitLeader();
      KvStore store = cluster.vault(first).storage().store();
      Map<String, String> outcomes = new ConcurrentHashMap<>();
      AtomicInteger started = new AtomicInteger();
      ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
      List<Future<?>> all = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        all.add(writers.submit(() -> {
          for (int i = 0; i < WRITES_EACH && System.nanoTime() < deadline; i++) {
            String key = "moving/" + writer + "/" + i;
            byte[] k = key.getBytes(StandardCharsets.US_ASCII);
            started.incrementAndGet();
            try {
              store.commit(new Changes().expect(Table.META, k, null).put(Table.META, k, k));
              outcomes.put(key, "ok");
            } catch (CofferException e) {
              outcomes.put(key, e.reason().name());
            }
          }
          return null;
        }));
      }
      for (int move = 1; move <= 2; move++) {
        int threshold = move * WRITERS * WRITES_EACH / 3;
        LocalVaultCluster.await(() -> started.get() >= threshold
            || System.nanoTime() > deadline, "writes under way");
        int leader = cluster.awaitLeader();
        cluster.vault(leader).storage().cluster().orElseThrow().operations()
            .transferLeadership(Optional.empty());
      }
      for (Future<?> f : all) {
        f.get(90, TimeUnit.SECONDS);
      }
      writers.shutdown();
      assertFalse(outcomes.containsValue("CONCURRENT_CHANGE"),
          "no entry landed twice: " + outcomes);
      long acknowledged = outcomes.values().stream().filter("ok"::equals).count();
      assertEquals(outcomes.size(), acknowledged,
          "a leadership transfer costs no write (a refusal while stepping down is sent again)");
      cluster.awaitCaughtUpWith(cluster.awaitLeader());
      for (Map.Entry<String, String> written : outcomes.entrySet()) {
        byte[] k = written.getKey().getBytes(StandardCharsets.US_ASCII);
        boolean onFirst = cluster.vault(0).storage().store().get(Table.META, k).isPresent();
        if (written.getValue().equals("ok")) {
          assertTrue(onFirst, written.getKey() + " was acknowledged");
        }
        for (int i = 1; i < cluster.size(); i++) {
          assertEquals(onFirst, cluster.vault(i).storage().store().get(Table.META, k)
              .isPresent(), written.getKey() + " on node " + i);
        }
      }
    }
  }
}
