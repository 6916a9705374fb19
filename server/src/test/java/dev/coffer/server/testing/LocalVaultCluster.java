package dev.coffer.server.testing;

import dev.coffer.server.Vault;
import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.VaultSettings;
import dev.coffer.server.cluster.ClusterTimeouts;
import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.config.HostPort;
import dev.coffer.server.crypto.AuditSignature;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.CallContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Three (or more) whole vaults in this JVM forming one Raft group over gRPC on 127.0.0.1, each
 * with its own RocksDB and Raft log under {@code root/n<i>}, all sharing one development root
 * key, node 0 started with {@code --cluster-init}. Nodes open in parallel (each waits for a
 * leader); each can be closed and reopened on its directories. A cluster can also be formed
 * from existing data ({@link #unopened}): one node seeds a new group over the vault in its
 * data dir ({@link #seed}) and the others join it ({@link #addAndJoin}). Every wait is bounded.
 */
public final class LocalVaultCluster implements AutoCloseable {

  static {
    Logger.getLogger("org.apache.ratis").setLevel(Level.SEVERE);
  }

  /** Elections a little slower than production's, as two cores run the whole group here. */
  public static final ClusterTimeouts TIMEOUTS = new ClusterTimeouts(1_000, 2_000, 30_000, 10_000);
  public static final long MAX_WAIT_MILLIS = 30_000;

  private final Path root;
  private final Map<String, HostPort> peers = new LinkedHashMap<>();
  private final RootKeyProvider rootKey;
  private final MutableClock clock = new MutableClock(TestVault.START);
  private final Vault[] vaults;
  private final AtomicReferenceArray<Duration> skews;
  private final Optional<ClusterConfig.RaftTls> tls;

  private LocalVaultCluster(Path root, int size, Optional<ClusterConfig.RaftTls> tls) {
    this.root = root;
    this.tls = tls;
    List<Integer> ports = FreePorts.distinct(size);
    for (int i = 0; i < size; i++) {
      peers.put("n" + i, new HostPort("127.0.0.1", ports.get(i)));
    }
    this.rootKey = DevRootKeyFile.loadOrCreate(root.resolve("root.json"));
    this.vaults = new Vault[size];
    this.skews = new AtomicReferenceArray<>(size);
    for (int i = 0; i < size; i++) {
      skews.set(i, Duration.ZERO);
    }
  }

  /** Opens {@code size} nodes at once and waits until every one has joined. */
  public static LocalVaultCluster start(Path root, int size) {
    return start(root, size, Optional.empty());
  }

  /** As {@link #start(Path, int)}, every node's Raft port with mutual TLS from {@code tls}. */
  public static LocalVaultCluster start(Path root, int size,
      Optional<ClusterConfig.RaftTls> tls) {
    LocalVaultCluster cluster = new LocalVaultCluster(root, size, tls);
    List<CompletableFuture<Void>> opening = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int node = i;
      opening.add(CompletableFuture.runAsync(() -> cluster.open(node)));
    }
    try {
      CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
          .get(2 * MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      cluster.close();
      throw new IllegalStateException("the cluster did not open", e);
    }
    return cluster;
  }

  /**
   * {@code size} nodes on {@code root} (fresh Raft ports, the root key {@code root/root.json},
   * created if absent), none open: their directories may already hold data.
   */
  public static LocalVaultCluster unopened(Path root, int size) {
    return new LocalVaultCluster(root, size, Optional.empty());
  }

  /** Opens node {@code i} on its directories (first start or restart). */
  public void open(int i) {
    open(i, VaultSettings.defaults());
  }

  /** Opens node {@code i} on its directories with {@code settings} (e.g. a backup dir). */
  public void open(int i, VaultSettings settings) {
    vaults[i] = Vault.openClustered(dataDir(i), config(i), TIMEOUTS, rootKey, clockOf(i), settings,
        VaultInstrumentation.none());
  }

  /**
   * Opens node {@code i} as {@code --cluster-init --cluster-seed} with itself alone in its
   * peers: a new group of one over the vault in its data dir.
   */
  public void seed(int i) {
    vaults[i] = Vault.openClustered(dataDir(i), seedConfig(i), TIMEOUTS, rootKey, clockOf(i),
        VaultSettings.defaults(), VaultInstrumentation.none());
  }

  /** Node {@code i}'s configuration as a seed (what {@link #seed} opens with). */
  public ClusterConfig seedConfig(int i) {
    String id = "n" + i;
    return new ClusterConfig(id, peers.get(id), Map.of(id, peers.get(id)), true, raftDir(i),
        tls, true, false);
  }

  /** Node {@code i}'s configuration as {@code --cluster-join}, every node named as a peer. */
  public ClusterConfig joinConfig(int i) {
    String id = "n" + i;
    return new ClusterConfig(id, peers.get(id), peers, false, raftDir(i), tls, false, true);
  }

  /**
   * Starts node {@code i} with {@code --cluster-join}, has node {@code via} add it
   * ({@code coffer cluster add}), and returns once it is added and open.
   */
  public void addAndJoin(int via, int i) {
    CompletableFuture<Vault> joining = joinAsync(i);
    HostPort at = peers.get("n" + i);
    vaults[via].storage().cluster().orElseThrow().operations().addPeer("n" + i, at);
    try {
      vaults[i] = joining.get(2 * MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node n" + i + " did not join", e);
    }
  }

  /** Starts node {@code i} with {@code --cluster-join}; completes once a member added it. */
  public CompletableFuture<Vault> joinAsync(int i) {
    return CompletableFuture.supplyAsync(() -> Vault.openClustered(dataDir(i), joinConfig(i),
        TIMEOUTS, rootKey, clockOf(i), VaultSettings.defaults(), VaultInstrumentation.none()));
  }

  /** Sets node {@code i}'s open vault (one the test opened itself). */
  public void set(int i, Vault vault) {
    vaults[i] = vault;
  }

  /** Node {@code i}'s data dir ({@code --data-dir}'s database). */
  public Path dataDir(int i) {
    return root.resolve("n" + i).resolve("db");
  }

  /** Node {@code i}'s Raft dir ({@code --cluster-dir}). */
  public Path raftDir(int i) {
    return root.resolve("n" + i).resolve("raft");
  }

  /** The root key every node holds. */
  public RootKeyProvider rootKey() {
    return rootKey;
  }

  /** Opens node {@code i} with another root key: what a node that does not belong does. */
  public Vault openWithRootKey(int i, RootKeyProvider otherRootKey) {
    return Vault.openClustered(dataDir(i), config(i), TIMEOUTS, otherRootKey, clockOf(i),
        VaultSettings.defaults(), VaultInstrumentation.none());
  }

  /** Node {@code i}'s configuration in a group formed by all (node 0 with init). */
  public ClusterConfig config(int i) {
    String id = "n" + i;
    return new ClusterConfig(id, peers.get(id), peers, i == 0, raftDir(i), tls);
  }

  /** Every voter's id and Raft address. */
  public Map<String, HostPort> peers() {
    return Map.copyOf(peers);
  }

  public Vault vault(int i) {
    return vaults[i];
  }

  public int size() {
    return vaults.length;
  }

  /**
   * Node {@code i}'s clock: {@link #clock()}, shifted by the node's {@link #skew} (none unless
   * a test sets one).
   */
  public Clock clockOf(int i) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return clock.getZone();
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return clock.instant().plus(skews.get(i));
      }
    };
  }

  /** Sets how far node {@code i}'s clock is ahead of {@link #clock()} (negative: behind). */
  public void skew(int i, Duration by) {
    skews.set(i, by);
  }

  public MutableClock clock() {
    return clock;
  }

  /** The index of the node that leads now, waiting (bounded) for one. */
  public int awaitLeader() {
    int[] found = {-1};
    await(() -> {
      for (int i = 0; i < vaults.length; i++) {
        if (vaults[i] != null && vaults[i].storage().cluster().orElseThrow().isLeader()) {
          found[0] = i;
          return true;
        }
      }
      return false;
    }, "a leader");
    return found[0];
  }

  /** Any node that does not lead now. */
  public int aFollower() {
    int leader = awaitLeader();
    return (leader + 1) % vaults.length;
  }

  /**
   * A call context of {@code principalId} of the default tenant as {@code vault} stores it,
   * for calling a node's services directly (vault-level calls read locally, with no barrier).
   */
  public static CallContext as(Vault vault, String principalId) {
    Principal system = new Principal("default", "admin", PrincipalKind.USER, true, true,
        TestVault.START);
    return new CallContext(vault.directory().principals().get(new CallContext(system, "req-test",
        "test"), "default", principalId), "req-test", "test");
  }

  /** Waits until every open node has applied what node {@code i} has applied. */
  public void awaitCaughtUpWith(int i) {
    long index = vaults[i].storage().cluster().orElseThrow().status().appliedIndex();
    for (Vault v : vaults) {
      if (v != null) {
        await(() -> v.storage().cluster().orElseThrow().status().appliedIndex() >= index,
            "every node to apply index " + index);
      }
    }
  }

  /** Closes node {@code i}; its directories stay. */
  public void stop(int i) {
    if (vaults[i] != null) {
      vaults[i].close();
      vaults[i] = null;
    }
  }

  @Override
  public void close() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (int i = 0; i < vaults.length; i++) {
      int node = i;
      closing.add(CompletableFuture.runAsync(() -> stop(node)));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw new IllegalStateException("a node did not close", e);
    }
  }

  /** Polls {@code condition} every 20 ms for at most {@link #MAX_WAIT_MILLIS}. */
  public static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }


  /** Verifies {@code vault}'s audit chain with its own audit key. */
  public static AuditChainVerifier.Result verifyAuditChain(Vault vault) {
    AuditSignature signature = vault.keys().keyring().auditSignature();
    return new AuditChainVerifier(vault.storage().store(),
        CheckpointSigner.of(signature::sign, signature::verify)).verify();
  }

  /**
   * Asserts that every node holds node 0's audit head (sequence and hash) and that its chain
   * verifies; the head and each node's verification, in node order.
   */
  public ChainedAuditLog.Head assertOneIntactAuditChain(List<AuditChainVerifier.Result> results) {
    ChainedAuditLog.Head head = ChainedAuditLog.head(vaults[0].storage().store());
    for (int i = 0; i < vaults.length; i++) {
      Vault vault = vaults[i];
      ChainedAuditLog.Head h = ChainedAuditLog.head(vault.storage().store());
      Assertions.assertEquals(head.sequence(), h.sequence(), "node " + i);
      Assertions.assertArrayEquals(head.hash(), h.hash(), "node " + i);
      AuditChainVerifier.Result result = verifyAuditChain(vault);
      Assertions.assertTrue(result.intact(), "node " + i + ": " + result);
      results.add(result);
    }
    return head;
  }
}
