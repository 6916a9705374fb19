package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.cluster.ClusterTimeouts;
import dev.coffer.server.cluster.CofferStateMachine;
import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.LocalVaultCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a data dir that holds a vault and a Raft dir can fail to belong together is refused
 * at start with its cause and the flag to change, and the refused start writes nothing: no
 * record of the store changes and the Raft dir is left as it was. (The flag combinations
 * themselves, seed without init or with other peers, are {@code ClusterConfigTest}'s.)
 */
class ClusterSeedRefusalTest {

  private static final ClusterTimeouts TIMEOUTS = LocalVaultCluster.TIMEOUTS;

  @TempDir Path dir;
  LocalVaultCluster cluster;

  @BeforeEach
  void aSingleNodeVault() {
    cluster = LocalVaultCluster.unopened(dir, 1);
    try (Vault single = Vault.open(cluster.dataDir(0), cluster.rootKey(), cluster.clock(),
        VaultSettings.defaults(), VaultInstrumentation.none())) {
      single.directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void withoutTheSeedFlag_aVaultUnderAnEmptyRaftDir_isRefused_namingTheFlag() throws Exception {
    List<String> before = dump(cluster.dataDir(0));
    CofferException refused = assertThrows(CofferException.class, () -> open(plain()));
    assertTrue(refused.getMessage().contains("holds no Raft log"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--cluster-init --cluster-seed"),
        refused.getMessage());
    assertEquals(before, dump(cluster.dataDir(0)), "the store is unchanged");
    assertTrue(listing(cluster.raftDir(0)).isEmpty(), "no Raft log was made");
  }

  @Test
  void aSeedOverAnEmptyDataDir_isRefused_ratherThanMakingNewKeys() throws Exception {
    Files.createDirectories(dir.resolve("other"));
    LocalVaultCluster empty = LocalVaultCluster.unopened(dir.resolve("other"), 1);
    CofferException refused = assertThrows(CofferException.class,
        () -> Vault.openClustered(empty.dataDir(0), empty.seedConfig(0), TIMEOUTS,
            empty.rootKey(), empty.clock(), VaultSettings.defaults(),
            VaultInstrumentation.none()));
    assertTrue(refused.getMessage().startsWith("--cluster-seed needs a data dir that holds a "
        + "vault"), refused.getMessage());
    assertTrue(dump(empty.dataDir(0)).isEmpty(), "no keyset was made");
    assertTrue(listing(empty.raftDir(0)).isEmpty(), "no Raft log was made");
  }

  @Test
  void aSeedOverARaftDirThatHasALog_isRefused_andTheSeededNodeRestartsWithoutTheFlag()
      throws Exception {
    cluster.seed(0);
    cluster.stop(0);
    List<String> before = dump(cluster.dataDir(0));
    List<Path> raftBefore = listing(cluster.raftDir(0));
    CofferException refused = assertThrows(CofferException.class, () -> cluster.seed(0));
    assertTrue(refused.getMessage().startsWith("--cluster-seed starts a new Raft group, but "
        + cluster.raftDir(0)), refused.getMessage());
    assertEquals(before, dump(cluster.dataDir(0)), "the store is unchanged");
    assertEquals(raftBefore, listing(cluster.raftDir(0)), "the Raft dir is unchanged");

    cluster.set(0, open(plain())); // the restart of a seeded node: --cluster-seed dropped
    LocalVaultCluster.await(() -> cluster.vault(0).storage().cluster().orElseThrow().isLeader(),
        "the seeded node to lead again");
    assertTrue(CofferStateMachine.storedAppliedTermIndex(cluster.vault(0).storage().store())
        .isPresent());
  }

  @Test
  void aSeedInterruptedBeforeItsSnapshot_isRefusedAtTheNextStart() throws Exception {
    cluster.seed(0);
    cluster.stop(0);
    // What a crash between formatting the new log and its first snapshot leaves behind.
    Files.writeString(cluster.raftDir(0).resolve("coffer-seed-in-progress"), "");
    List<String> before = dump(cluster.dataDir(0));
    CofferException refused = assertThrows(CofferException.class, () -> open(plain()));
    assertTrue(refused.getMessage().contains("stopped before its first snapshot"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("start again with --cluster-init --cluster-seed"),
        refused.getMessage());
    assertEquals(before, dump(cluster.dataDir(0)), "the store is unchanged");
  }

  @Test
  void aSeedThatCompleted_leavesNoMarker() {
    cluster.seed(0);
    assertFalse(Files.exists(cluster.raftDir(0).resolve("coffer-seed-in-progress")));
  }

  /** Node 0 alone with --cluster-init, without --cluster-seed. */
  private ClusterConfig plain() {
    ClusterConfig seed = cluster.seedConfig(0);
    return new ClusterConfig(seed.nodeId(), seed.address(), Map.of(seed.nodeId(),
        seed.address()), true, seed.raftDir(), seed.tls());
  }

  private Vault open(ClusterConfig config) {
    return Vault.openClustered(cluster.dataDir(0), config, TIMEOUTS, cluster.rootKey(),
        cluster.clock(), VaultSettings.defaults(), VaultInstrumentation.none());
  }

  /** Every record of every table of the database in {@code db}, as hex (empty if none). */
  static List<String> dump(Path db) {
    List<String> out = new ArrayList<>();
    if (!Files.exists(db.resolve("CURRENT"))) {
      return out;
    }
    try (RocksKvStore store = RocksKvStore.openReadOnly(db)) {
      for (Table table : Table.values()) {
        for (KeyValue kv : store.scan(table, new byte[0], null, 100_000)) {
          out.add(table + ":" + HexFormat.of().formatHex(kv.key()) + "="
              + HexFormat.of().formatHex(kv.value()));
        }
      }
    }
    return out;
  }

  private static List<Path> listing(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
