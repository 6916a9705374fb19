package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.domain.CallDeadline;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.StorageScan;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole vaults as a three-node Raft group in this JVM (127.0.0.1): writes made on any node are
 * on every node, the audit chain is one chain with the same head everywhere, guarded writes
 * racing from two nodes have one winner, keys rotated on one node open on the others, and a
 * node with another root key is refused.
 */
class ClusteredVaultTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;

  @BeforeEach
  void start() {
    cluster = LocalVaultCluster.start(dir, 3);
    cluster.vault(0).directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
    cluster.awaitCaughtUpWith(0); // vault-level calls read locally, without the gRPC barrier
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static CallContext admin(Vault vault) {
    return new CallContext(vault.directory().principals().get(systemContext(), "default",
        "admin"), "req-test", "test");
  }

  private static CallContext systemContext() {
    return new CallContext(new Principal("default", "admin",
        PrincipalKind.USER, true, true,
        TestVault.START), "req-test", "test");
  }

  private SecretMinter.Minted vaultedSecret(int node, String name) {
    Vault vault = cluster.vault(node);
    CallContext admin = admin(vault);
    String created = vault.directory().applications().create(admin, name, "production", null,
        OAuthFlow.CLIENT_CREDENTIALS, "admin").application().clientId();
    return TestSecrets.create(vault, admin, created,
        SecretRequest.builder().displayName("db").location("/").vaulted(true)
            .preapproveOwner(true).build());
  }

  @Test
  void aWriteOnAFollower_isOnEveryNode_andTheAuditChainIsOneChainEverywhere() {
    int follower = cluster.aFollower();
    SecretMinter.Minted minted = vaultedSecret(follower, "payments_api");
    String id = minted.stored().metadata().secretId();
    String value;
    try (var v = minted.value()) {
      value = v.reveal();
    }
    cluster.awaitCaughtUpWith(follower);
    for (int i = 0; i < cluster.size(); i++) {
      Vault vault = cluster.vault(i);
      assertEquals(id, vault.secrets().secrets().get(admin(vault), id).secretId(), "node " + i);
      try (var revealed = vault.secrets().reader().reveal(admin(vault), id)) {
        assertEquals(value, revealed.reveal(), "node " + i + " opens the value");
      }
    }
    cluster.awaitCaughtUpWith(cluster.awaitLeader());
    ChainedAuditLog.Head head = cluster.assertOneIntactAuditChain(new ArrayList<>());
    assertTrue(head.sequence() > 3, "creation and reveals are audited");
  }

  /**
   * A node without quorum keeps sending its entries to whichever node will lead; a caller that
   * has given up must not find its write committed when quorum returns. Three writes on a
   * follower whose two peers are down, each with a 300 ms call deadline: the first is proposed
   * (its Raft client retries it), the later ones wait for the first; all are answered at their
   * deadline, and none is in the vault after the peers return and a later write has applied.
   */
  @Test
  void writesWhoseCallersGaveUpWithoutQuorum_areNotCommittedWhenQuorumReturns() {
    int leader = cluster.awaitLeader();
    int survivor = (leader + 1) % cluster.size();
    int other = (leader + 2) % cluster.size();
    Vault vault = cluster.vault(survivor);
    CallContext admin = admin(vault);
    cluster.stop(leader);
    cluster.stop(other);

    List<CompletableFuture<Long>> late = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = "late_" + i;
      late.add(CompletableFuture.supplyAsync(() -> {
        long start = System.nanoTime();
        CofferException e = assertThrows(CofferException.class, () -> CallDeadline.within(
            System.currentTimeMillis() + 300, () -> vault.directory().applications().create(
                admin, name, "production", null, OAuthFlow.CLIENT_CREDENTIALS, "admin")));
        assertEquals(Reason.CALL_DEADLINE_PASSED, e.reason(), e.getMessage());
        return (System.nanoTime() - start) / 1_000_000;
      }));
    }
    for (CompletableFuture<Long> call : late) {
      // answered at the deadline (plus the first's wait for those after it), not after the
      // 30 s proposal budget
      assertTrue(call.join() < 5_000, "answered after " + call.join() + " ms");
    }

    cluster.open(leader);
    cluster.open(other);
    vault.directory().applications().create(admin, "after_quorum", "production", null,
        OAuthFlow.CLIENT_CREDENTIALS, "admin");
    cluster.awaitCaughtUpWith(survivor);
    for (int i = 0; i < cluster.size(); i++) {
      Vault v = cluster.vault(i);
      List<String> names = v.directory().applications().list(admin(v), null, 100).items()
          .stream().map(a -> a.clientName()).toList();
      assertTrue(names.contains("after_quorum"), "node " + i + ": " + names);
      assertTrue(names.stream().noneMatch(n -> n.startsWith("late_")), "node " + i + ": " + names);
    }
    cluster.assertOneIntactAuditChain(new ArrayList<>());
  }

  @Test
  void aClockBeaconPendingWithoutQuorum_isNotProposedAgain_untilItEnds() {
    int leader = cluster.awaitLeader();
    int survivor = (leader + 1) % cluster.size();
    int other = (leader + 2) % cluster.size();
    ClusterNode node = cluster.vault(survivor).storage().cluster().orElseThrow();
    cluster.stop(leader);
    cluster.stop(other);
    assertTrue(node.sendClockBeacon(), "the first is proposed");
    assertFalse(node.sendClockBeacon(), "none is added while it is pending");
    assertFalse(node.sendClockBeacon(), "none is added while it is pending");

    cluster.open(leader);
    cluster.open(other);
    LocalVaultCluster.await(node::sendClockBeacon, "a beacon again once the first has ended");
  }

  @Test
  void guardedWritesRacingFromTwoNodes_haveExactlyOneWinner_onEveryNode() throws Exception {
    byte[] key = "race/one".getBytes(StandardCharsets.US_ASCII);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Boolean>> racers = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      Vault vault = cluster.vault(i);
      byte[] mine = ("node-" + i).getBytes(StandardCharsets.US_ASCII);
      racers.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          vault.storage().store().commit(new Changes().expect(Table.META, key, null)
              .put(Table.META, key, mine));
          return true;
        } catch (CofferException e) {
          assertEquals(Reason.CONCURRENT_CHANGE, e.reason());
          return false;
        } catch (InterruptedException e) {
          throw new CompletionException(e);
        }
      }));
    }
    go.countDown();
    int winners = 0;
    for (CompletableFuture<Boolean> racer : racers) {
      winners += racer.join() ? 1 : 0;
    }
    assertEquals(1, winners);
    cluster.awaitCaughtUpWith(cluster.awaitLeader());
    byte[] stored = cluster.vault(0).storage().store().get(Table.META, key).orElseThrow();
    for (int i = 1; i < cluster.size(); i++) {
      assertArrayEquals(stored, cluster.vault(i).storage().store().get(Table.META, key)
          .orElseThrow(), "node " + i);
    }
  }

  @Test
  void aKekRotatedOnTheLeader_opensOnEveryFollower() {
    int leader = cluster.awaitLeader();
    Vault lead = cluster.vault(leader);
    int newKey = lead.operator().admin().kek().rotate(admin(lead)).id();
    SecretMinter.Minted minted = vaultedSecret(leader, "after_rotation");
    cluster.awaitCaughtUpWith(leader);
    String id = minted.stored().metadata().secretId();
    try (var v = minted.value()) {
      String value = v.reveal();
      for (int i = 0; i < cluster.size(); i++) {
        Vault vault = cluster.vault(i);
        assertEquals(newKey, vault.keys().keyring().kek().primary().id(), "node " + i);
        try (var revealed = vault.secrets().reader().reveal(admin(vault), id)) {
          assertEquals(value, revealed.reveal(), "node " + i);
        }
      }
    }
  }

  @Test
  void aNodeWithAnotherRootKey_isRefusedBeforeItServes() {
    int follower = cluster.aFollower();
    cluster.stop(follower);
    DevRootKeyFile other = DevRootKeyFile.loadOrCreate(dir.resolve("other-root.json"));
    KeyringException refused = assertThrows(KeyringException.class,
        () -> cluster.openWithRootKey(follower, other));
    assertTrue(refused.getMessage().contains("root key"), refused.getMessage());
    cluster.open(follower); // the right key still opens it, and the node serves
    LocalVaultCluster.await(() -> cluster.vault(follower).storage().cluster().orElseThrow()
        .status().serving(), "the node to serve");
  }

  @Test
  void everyNodeRestartedInTurn_keepsEveryWrite() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      ids.add(vaultedSecret(cluster.awaitLeader(), "app_" + i).stored().metadata().secretId());
      cluster.stop(i);
      cluster.open(i);
    }
    cluster.awaitCaughtUpWith(cluster.awaitLeader());
    for (int i = 0; i < cluster.size(); i++) {
      Vault vault = cluster.vault(i);
      for (String id : ids) {
        assertEquals(id, vault.secrets().secrets().get(admin(vault), id).secretId(), "node " + i);
      }
    }
  }

  @Test
  void aNodeWhoseRaftLogIsLost_isRefused_ratherThanStartingTheLogAgainOverItsData()
      throws Exception {
    int follower = cluster.aFollower();
    cluster.stop(follower);
    Path raft = dir.resolve("n" + follower).resolve("raft");
    try (var files = Files.walk(raft)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    CofferException refused = assertThrows(CofferException.class, () -> cluster.open(follower));
    assertTrue(refused.getMessage().contains("holds no Raft log"), refused.getMessage());
  }

  @Test
  void aSecretDeletedOnAFollower_isShreddedFromEveryNodesStorage() throws Exception {
    int follower = cluster.aFollower();
    SecretMinter.Minted minted = vaultedSecret(follower, "shredded_app");
    minted.value().close();
    SecretMetadata m = minted.stored().metadata();
    byte[] key = SecretRepository.recordKey(m.tenantId(), m.secretId());
    cluster.awaitCaughtUpWith(follower);
    byte[] wrapped = cluster.vault(follower).storage().store().get(Table.DATA_KEYS, key)
        .orElseThrow();
    for (int i = 0; i < cluster.size(); i++) {
      assertTrue(StorageScan.holds(database(i), wrapped), "control: node " + i + " holds it");
    }
    Vault vault = cluster.vault(follower);
    vault.secrets().secrets().delete(admin(vault), m.secretId(), "");
    assertTrue(vault.secrets().shredder().shredNow() >= 1);
    cluster.awaitCaughtUpWith(follower);
    for (int i = 0; i < cluster.size(); i++) {
      assertTrue(cluster.vault(i).storage().store().get(Table.DATA_KEYS, key).isEmpty());
      assertFalse(StorageScan.holds(database(i), wrapped),
          "node " + i + "'s database files still hold the deleted data key");
    }
  }

  private Path database(int node) throws IOException {
    return StorageScan.databaseUnder(dir.resolve("n" + node).resolve("db"));
  }

  @Test
  void aSurvivorsDataDir_opensAsASingleNode_withEveryWriteItApplied() {
    int follower = cluster.aFollower();
    String id = vaultedSecret(follower, "survivor_app").stored().metadata().secretId();
    cluster.awaitCaughtUpWith(follower);
    cluster.close(); // the majority is lost: every node stops
    Vault single = Vault.open(dir.resolve("n" + follower).resolve("db"),
        DevRootKeyFile.load(dir.resolve("root.json")),
        cluster.clock(), VaultSettings.defaults(),
        VaultInstrumentation.none());
    try (single) {
      assertEquals(id, single.secrets().secrets().get(admin(single), id).secretId());
      assertTrue(LocalVaultCluster.verifyAuditChain(single).intact());
    }
  }
}
