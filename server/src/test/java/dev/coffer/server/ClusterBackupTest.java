package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.backup.BackupWriter;
import dev.coffer.server.cluster.CofferStateMachine;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups keep working on a cluster (issue 18): {@code coffer admin backup} against a follower
 * writes a checkpoint of that node's store holding exactly what it had applied, stamped with
 * its applied index, which {@code coffer-server restore} verifies and which opens as a single
 * node with every secret and an intact audit chain (and can then seed a new cluster, see
 * {@link SeededClusterTest}).
 */
class ClusterBackupTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBackupFromAFollower_restoresAsASingleNode_toTheDataItHadApplied() {
    cluster = LocalVaultCluster.start(dir, 3);
    cluster.vault(0).directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
    cluster.awaitCaughtUpWith(0);
    int follower = cluster.aFollower();
    cluster.stop(follower);
    cluster.open(follower, VaultSettings.defaults().withBackupDir(dir.resolve("backups")));
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.putAll(vaultedSecret(cluster.awaitLeader(), "on_the_leader"));
    secrets.putAll(vaultedSecret(follower, "on_the_follower"));
    cluster.awaitCaughtUpWith(cluster.awaitLeader());

    Vault node = cluster.vault(follower);
    List<String> applied = dump(node.storage().store());
    long appliedIndex = CofferStateMachine.storedAppliedTermIndex(node.storage().store())
        .orElseThrow().getIndex();
    BackupWriter.Written backup = node.operator().admin().backup(as(node), "from-follower");

    try (KvStore copy = RocksKvStore.openReadOnly(
        backup.path().resolve("db"))) {
      assertEquals(applied, dump(copy), "the backup holds exactly what the follower applied");
      assertEquals(appliedIndex, CofferStateMachine.storedAppliedTermIndex(copy).orElseThrow()
          .getIndex(), "stamped with the follower's applied index");
    }

    Path restored = dir.resolve("restored");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = RestoreCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8), "--from", backup.path().toString(),
        "--data-dir", restored.toString(), "--dev-root-key", dir.resolve("root.json").toString());
    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));

    try (Vault single = Vault.open(restored.resolve("db"), cluster.rootKey(), cluster.clock(),
        VaultSettings.defaults(), VaultInstrumentation.none())) {
      assertTrue(single.storage().cluster().isEmpty(), "a single node");
      for (var secret : secrets.entrySet()) {
        try (var v = single.secrets().reader().reveal(as(single), secret.getKey())) {
          assertEquals(secret.getValue(), v.reveal(), secret.getKey());
        }
      }
      AuditChainVerifier.Result chain = LocalVaultCluster.verifyAuditChain(single);
      assertTrue(chain.intact(), chain.toString());
    }
  }

  /** A vaulted, pre-approved secret of a new application, made on {@code node}: id to value. */
  private Map<String, String> vaultedSecret(int node, String name) {
    Vault vault = cluster.vault(node);
    String app = vault.directory().applications().create(as(vault), name, "production", null,
        OAuthFlow.CLIENT_CREDENTIALS, "admin").application().clientId();
    var minted = TestSecrets.create(vault, as(vault), app, SecretRequest.builder()
        .displayName("db").location("/").vaulted(true).preapproveOwner(true).build());
    try (var v = minted.value()) {
      return Map.of(minted.stored().metadata().secretId(), v.reveal());
    }
  }

  private static CallContext as(Vault vault) {
    CallContext system = new CallContext(new Principal("default", "admin", PrincipalKind.USER,
        true, true, TestVault.START), "req-test", "test");
    return new CallContext(vault.directory().principals().get(system, "default", "admin"),
        "req-test", "test");
  }

  /** Every record of every table, as hex. */
  private static List<String> dump(KvStore store) {
    List<String> out = new ArrayList<>();
    for (Table table : Table.values()) {
      for (KeyValue kv : store.scan(table, new byte[0], null, 100_000)) {
        out.add(table + ":" + HexFormat.of().formatHex(kv.key()) + "="
            + HexFormat.of().formatHex(kv.value()));
      }
    }
    assertFalse(out.isEmpty());
    return out;
  }
}
