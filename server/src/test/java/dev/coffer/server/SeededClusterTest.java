package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.CofferStateMachine;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster formed from existing data (issue 18): a single node's vault, or the data dir of the
 * survivor of a lost majority, seeded as a new group of one ({@code --cluster-init
 * --cluster-seed}), then two empty nodes started with {@code --cluster-join} and added: every
 * node holds every secret, grant and token, the same keysets (the seed made none), one audit
 * chain that verifies everywhere and goes on from the stored head, and later writes replicate.
 */
class SeededClusterTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** What a test wrote before seeding, to look for on every node afterwards. */
  private record Written(Map<String, String> adminSecrets, String sharedSecret,
      String sharedValue, String bobToken, String adminToken) {}

  @Test
  void aSingleNodeVault_seededAsAClusterOfOne_isOnEveryNodeThatJoins() throws Exception {
    cluster = LocalVaultCluster.unopened(dir, 3);
    Written written;
    List<String> keysets;
    ChainedAuditLog.Head before;
    try (Vault single = Vault.open(cluster.dataDir(0), cluster.rootKey(), cluster.clock(),
        VaultSettings.defaults(), VaultInstrumentation.none())) {
      written = write(single, null);
      keysets = keysets(single.storage().store());
      before = ChainedAuditLog.head(single.storage().store());
    }
    assertTrue(before.sequence() > 5, "grants, tokens, reveals audited: " + before.sequence());

    cluster.seed(0);
    ClusterNode seed = cluster.vault(0).storage().cluster().orElseThrow();
    assertTrue(seed.isLeader(), "a group of one leads itself");
    assertTrue(seed.machine().getLatestSnapshot() != null, "the seed took a snapshot at once");
    assertEquals(keysets, keysets(cluster.vault(0).storage().store()), "no new keyset");
    ChainedAuditLog.Head seeded = ChainedAuditLog.head(cluster.vault(0).storage().store());
    assertTrue(seeded.sequence() >= before.sequence(), "the chain is kept");
    long term = seed.status().term();

    // Both joiners wait at once, neither a member yet: with their future peers as their
    // configuration, two empty nodes would be a majority of three and elect one of themselves.
    CompletableFuture<Vault> second = cluster.joinAsync(2);
    cluster.addAndJoin(0, 1);
    cluster.vault(0).storage().cluster().orElseThrow().operations()
        .addPeer("n2", cluster.peers().get("n2"));
    cluster.set(2, second.get(2 * LocalVaultCluster.MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS));
    assertTrue(seed.isLeader(), "the seed still leads");
    assertEquals(term, seed.status().term(), "no election happened while the nodes joined");

    assertEveryNodeHas(written, keysets);
    assertOneChainEverywhere(before);

    // Afterwards every node runs with the cluster's ordinary flags (the seed without
    // --cluster-seed, the joiners without --cluster-join, all three named as peers): the
    // configuration Ratis stored wins, restarted in turn they keep serving every write.
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
      cluster.open(i);
    }
    assertEveryNodeHas(written, keysets);
    assertOneChainEverywhere(before);
  }

  @Test
  void aSurvivorOfALostMajority_seedsANewGroup_withEveryWriteItApplied() throws Exception {
    LocalVaultCluster old = LocalVaultCluster.start(dir, 3);
    Written written;
    int survivor;
    ChainedAuditLog.Head before;
    List<String> keysets;
    try {
      old.vault(0).directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
      old.awaitCaughtUpWith(0);
      survivor = old.aFollower();
      written = write(old.vault(survivor), old);
      old.awaitCaughtUpWith(old.awaitLeader());
      before = ChainedAuditLog.head(old.vault(survivor).storage().store());
      keysets = keysets(old.vault(survivor).storage().store());
    } finally {
      old.close(); // every node stops; two of them are lost for good
    }
    for (int i = 0; i < 3; i++) {
      if (i != survivor) {
        deleteTree(dir.resolve("n" + i));
      }
    }
    Files.move(old.raftDir(survivor), dir.resolve("n" + survivor).resolve("raft.lost-group"));

    cluster = LocalVaultCluster.unopened(dir, 3);
    cluster.seed(survivor);
    assertTrue(CofferStateMachine.storedAppliedTermIndex(cluster.vault(survivor).storage()
        .store()).orElseThrow().getIndex() < 10, "the new group's index, not the old one's");
    int joiner = -1;
    for (int i = 0; i < 3; i++) {
      if (i != survivor) {
        cluster.addAndJoin(survivor, i);
        joiner = i;
      }
    }
    assertEveryNodeHas(written, keysets);
    assertOneChainEverywhere(before);

    // A member restarted with --cluster-join still given is a member at once (its stored
    // configuration names it): it is not waiting to be added again.
    cluster.stop(joiner);
    cluster.set(joiner, cluster.joinAsync(joiner).get(2 * LocalVaultCluster.MAX_WAIT_MILLIS,
        TimeUnit.MILLISECONDS));
    assertEveryNodeHas(written, keysets);
  }

  /**
   * Writes secrets, a grant, tokens and their audit events through {@code vault} (on a
   * cluster, waiting for every node of {@code cluster} to apply them).
   */
  private Written write(Vault vault, LocalVaultCluster on) {
    String adminToken = null;
    var issued = vault.directory().bootstrap().bootstrapIfEmpty();
    if (issued.isPresent()) {
      try (SecretValue v = issued.get().value()) {
        adminToken = v.reveal();
      }
    }
    CallContext admin = as(vault, "admin");
    vault.directory().principals().create(admin, "default", "alice", PrincipalKind.USER, false);
    vault.directory().principals().create(admin, "default", "bob", PrincipalKind.USER, false);
    Map<String, String> adminSecrets = new LinkedHashMap<>();
    for (String name : List.of("payments_api", "billing_api")) {
      String app = vault.directory().applications().create(admin, name, "production", null,
          OAuthFlow.CLIENT_CREDENTIALS, "admin").application().clientId();
      var minted = TestSecrets.create(vault, admin, app, SecretRequest.builder()
          .displayName("db").location("/").vaulted(true).preapproveOwner(true).build());
      try (var v = minted.value()) {
        adminSecrets.put(minted.stored().metadata().secretId(), v.reveal());
      }
    }
    CallContext alice = as(vault, "alice");
    String shared = vault.directory().applications().create(admin, "shared_api", "production",
        null, OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    var sharedSecret = TestSecrets.create(vault, alice, shared, SecretRequest.builder()
        .displayName("s").location("/").vaulted(true).sharingEnabled(true).build());
    String sharedValue;
    try (var v = sharedSecret.value()) {
      sharedValue = v.reveal();
    }
    String sharedId = sharedSecret.stored().metadata().secretId();
    vault.sharing().grants().create(alice, sharedId, "bob",
        TestVault.START.plus(Duration.ofDays(1)));
    String bobToken;
    try (var v = vault.directory().tokens().issue(admin, "default", "bob", null, "t").value()) {
      bobToken = v.reveal();
    }
    try (var v = vault.secrets().reader().reveal(as(vault, "bob"), sharedId)) {
      assertEquals(sharedValue, v.reveal(), "bob reads through his grant");
    }
    if (on != null) {
      on.awaitCaughtUpWith(on.awaitLeader());
    }
    return new Written(adminSecrets, sharedId, sharedValue, bobToken, adminToken);
  }

  private void assertEveryNodeHas(Written written, List<String> keysets) {
    cluster.awaitCaughtUpWith(cluster.awaitLeader());
    for (int i = 0; i < cluster.size(); i++) {
      Vault vault = cluster.vault(i);
      assertEquals(keysets, keysets(vault.storage().store()), "node " + i + ": the same keysets");
      for (var secret : written.adminSecrets().entrySet()) {
        try (var v = vault.secrets().reader().reveal(as(vault, "admin"), secret.getKey())) {
          assertEquals(secret.getValue(), v.reveal(), "node " + i + " opens " + secret.getKey());
        }
      }
      try (var v = vault.secrets().reader().reveal(as(vault, "bob"), written.sharedSecret())) {
        assertEquals(written.sharedValue(), v.reveal(), "node " + i + ": bob's grant");
      }
      try (SecretValue presented = SecretValue.ofString(written.bobToken())) {
        assertEquals("bob", vault.directory().tokens().authenticate(presented).principalId());
      }
      if (written.adminToken() != null) {
        try (SecretValue presented = SecretValue.ofString(written.adminToken())) {
          assertEquals("admin", vault.directory().tokens().authenticate(presented)
              .principalId(), "node " + i + ": the bootstrap token");
        }
      }
    }
    // A write after joining, on a node that joined, replicates to every node.
    int joiner = (cluster.awaitLeader() + 1) % cluster.size();
    Vault vault = cluster.vault(joiner);
    String carol = "carol-" + ChainedAuditLog.head(vault.storage().store()).sequence();
    vault.directory().principals().create(as(vault, "admin"), "default", carol,
        PrincipalKind.USER, false);
    cluster.awaitCaughtUpWith(joiner);
    for (int i = 0; i < cluster.size(); i++) {
      assertEquals(carol, as(cluster.vault(i), carol).caller().principalId(), "node " + i);
    }
  }

  /** The same head on every node, a chain that verifies on each, and it holds {@code before}. */
  private void assertOneChainEverywhere(ChainedAuditLog.Head before) {
    cluster.awaitCaughtUpWith(cluster.awaitLeader());
    List<AuditChainVerifier.Result> results = new ArrayList<>();
    ChainedAuditLog.Head head = cluster.assertOneIntactAuditChain(results);
    assertTrue(head.sequence() > before.sequence(), "the chain went on from the stored head");
    for (int i = 0; i < results.size(); i++) {
      assertEquals(head.sequence(), results.get(i).eventsChecked(), "node " + i + ": from event 1");
    }
  }

  private static CallContext as(Vault vault, String principal) {
    CallContext system = new CallContext(new Principal("default", "admin", PrincipalKind.USER,
        true, true, TestVault.START), "req-test", "test");
    return new CallContext(vault.directory().principals().get(system, "default", principal),
        "req-test", "test");
  }

  /** The stored keysets (sealed under the root key), as hex. */
  static List<String> keysets(KvStore store) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : store.scan(Table.META, Keys.builder().str("keyset").build(), null, 100)) {
      out.add(HexFormat.of().formatHex(kv.key()) + "=" + HexFormat.of().formatHex(kv.value()));
    }
    assertFalse(out.isEmpty(), "the vault has keysets");
    return out;
  }

  static void deleteTree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
