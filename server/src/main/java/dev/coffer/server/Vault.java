package dev.coffer.server;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.ClusterSeed;
import dev.coffer.server.cluster.ClusterTimeouts;
import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.crypto.KekKeyset;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.BackgroundJobs;
import dev.coffer.server.store.CachingKvStore;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.SwappableRocksStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The vault below the transport: opens the database in a data directory and owns the
 * capability modules built over it (storage, keys, kernel, lifecycle, secrets, directory,
 * sharing, assertions, operator, identity), each from only the modules it needs. Opening fails with a
 * clear message when the root key cannot decrypt the stored keysets. Closing ends the
 * lifecycle watches, signs an audit checkpoint at the head (clean shutdown), then closes
 * the database; modules must not be used afterwards. Opening starts no background job (see
 * {@link #backgroundJobs}); stop the server running them before closing. Security: no
 * module logs or returns a secret or token value outside the responses that issue it.
 */
public final class Vault implements AutoCloseable {

  private final StorageModule storage;
  private final KeysModule keys;
  private final KernelModule kernel;
  private final LifecycleModule lifecycle;
  private final SecretsModule secrets;
  private final DirectoryModule directory;
  private final SharingModule sharing;
  private final AssertionsModule assertions;
  private final OperatorModule operator;
  private final IdentityModule identity;

  private Vault(StorageModule storage, RootKeyProvider rootKey, Clock clock,
      VaultSettings settings, VaultInstrumentation metrics) {
    this.storage = storage;
    this.keys = new KeysModule(storage, rootKey, metrics);
    this.kernel = new KernelModule(storage, keys, clock, settings.auditCheckpointInterval(),
        metrics);
    this.lifecycle = new LifecycleModule(storage, kernel, clock);
    this.secrets = new SecretsModule(storage, keys, kernel, lifecycle,
        settings.verifyFailuresPerMinute(), metrics);
    this.directory = new DirectoryModule(storage, keys, kernel, lifecycle, secrets, clock);
    this.sharing = new SharingModule(storage, keys, kernel, lifecycle, secrets);
    this.assertions = new AssertionsModule(storage, kernel, clock, metrics);
    this.operator = new OperatorModule(storage, keys, kernel, directory,
        rootKey.description(), settings.backupDir(), clock, metrics);
    this.identity = new IdentityModule(storage, kernel, directory, lifecycle, operator, clock, metrics,
        settings.issuerFetchHosts());
  }

  /** Opens (or creates) the vault whose database lives in {@code dbDir}. */
  public static Vault open(Path dbDir, RootKeyProvider rootKey, Clock clock,
      long verifyFailuresPerMinute) {
    return open(dbDir, rootKey, clock,
        VaultSettings.defaults().withVerifyFailuresPerMinute(verifyFailuresPerMinute),
        VaultInstrumentation.none());
  }

  /**
   * Opens (or creates) the vault in {@code dbDir} with {@code settings}, counting audit
   * writes, crypto operations and verify failures through {@code metrics}.
   */
  public static Vault open(Path dbDir, RootKeyProvider rootKey, Clock clock,
      VaultSettings settings, VaultInstrumentation metrics) {
    RocksKvStore rocks = RocksKvStore.open(dbDir);
    try {
      return new Vault(new StorageModule(rocks, settings.readCacheBytes(), clock), rootKey,
          clock, settings, metrics);
    } catch (RuntimeException e) {
      rocks.close();
      throw e;
    }
  }

  /**
   * Opens this node's vault in a replicated cluster: starts its Raft member on the database
   * in {@code dbDir}, waits (at most {@code timeouts}' propose time, twice) until it knows a
   * leader and has applied what the group committed, then opens the modules over the
   * replicated store. Only a node started with {@code init} creates the cluster's keysets,
   * and only on an empty group; any other node opens the keysets it received, which proves
   * it holds the same root key (a different root key is refused here, before it serves).
   * With {@code --cluster-seed} the node starts a new group of one over the vault already in
   * {@code dbDir} and snapshots it before returning, so nodes added later receive it.
   */
  public static Vault openClustered(Path dbDir, ClusterConfig cluster, ClusterTimeouts timeouts,
      RootKeyProvider rootKey, Clock clock, VaultSettings settings,
      VaultInstrumentation metrics) {
    SwappableRocksStore rocks = SwappableRocksStore.open(dbDir);
    ClusterNode node = null;
    try {
      CachingKvStore cache = new CachingKvStore(rocks, settings.readCacheBytes());
      node = ClusterNode.start(cluster, timeouts, cache, rocks,
          settings.auditCheckpointInterval(), clock);
      if (!node.awaitReady(2 * timeouts.proposeMillis())) {
        throw new CofferException(Reason.STORAGE_FAILURE, "cluster node " + cluster.nodeId()
            + (cluster.join() ? " was not added to the group in time (--cluster-join): run "
                + "coffer cluster add " + cluster.nodeId() + " " + cluster.address().host()
                + ":" + cluster.address().port() + " on a member, and start this node again"
                : " found no leader it could catch up with: is a majority of --cluster-peers "
                + "up?"));
      }
      if (cluster.seed()) {
        // The new group's log starts empty while the store holds the whole vault: a snapshot
        // now is what a node added later receives first (Ratis sends a bootstrapping member
        // the latest snapshot before any entry). See ClusterSeed.
        ClusterSeed.snapshotAtOnce(node);
      }
      if (!cluster.init() && !awaitKeysets(cache, 2 * timeouts.proposeMillis())) {
        throw new CofferException(Reason.STORAGE_FAILURE, "the cluster has no keys yet: start "
            + "its first node with --cluster-init, then this one");
      }
      StorageModule storage = new StorageModule(rocks, cache, Optional.of(node), clock);
      Vault vault;
      try {
        vault = new Vault(storage, rootKey, clock, settings, metrics);
      } catch (KeyringException e) {
        throw new KeyringException("this node's root key cannot decrypt the cluster's keysets: "
            + "every node needs the root key of the node started with --cluster-init", e);
      }
      KekKeyset kek = vault.keys.keyring().kek();
      node.machine().onApplied(applied -> {
        if (StoredKeysets.touches(applied, Keyring.KEK_KEYSET_NAME)) {
          kek.reload();
        }
      });
      node.machine().onReinitialized(kek::reload);
      ReplicatedNotices.wire(node, vault.lifecycle().events());
      return vault;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(node, rocks);
      throw new CofferException(Reason.SHUTTING_DOWN, "interrupted while joining the cluster");
    } catch (RuntimeException e) {
      closeQuietly(node, rocks);
      throw e;
    }
  }

  /** Whether the cluster's keysets reach {@code store} (applied) within {@code millis}. */
  private static boolean awaitKeysets(KvStore store, long millis) throws InterruptedException {
    StoredKeysets keysets = new StoredKeysets(store);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (keysets.read(Keyring.KEK_KEYSET_NAME).isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private static void closeQuietly(ClusterNode node, SwappableRocksStore rocks) {
    try {
      if (node != null) {
        node.close();
      }
    } catch (RuntimeException ignored) {
      // the original failure is what the caller needs
    } finally {
      rocks.close();
    }
  }

  /** The database, its read cache and the health of its writes. */
  public StorageModule storage() {
    return storage;
  }

  /** The keyring, cipher, MAC and generators. */
  public KeysModule keys() {
    return keys;
  }

  /** The audit log and the governance every module is checked through. */
  public KernelModule kernel() {
    return kernel;
  }

  /** The lifecycle bus and the expiry monitor. */
  public LifecycleModule lifecycle() {
    return lifecycle;
  }

  /** Secrets, their values, locations, quarantine, leak reports and shredding. */
  public SecretsModule secrets() {
    return secrets;
  }

  /** Tenants, principals, tokens, applications, scopes and the bootstrap. */
  public DirectoryModule directory() {
    return directory;
  }

  /** Access requests and grants. */
  public SharingModule sharing() {
    return sharing;
  }

  /** Client assertions and JWK Sets. */
  public AssertionsModule assertions() {
    return assertions;
  }

  /** Trusted JWT issuers and sign-in with their tokens (identity federation). */
  public IdentityModule identity() {
    return identity;
  }

  /** Administration, KEK rotation, the audit trail and failed sign-ins. */
  public OperatorModule operator() {
    return operator;
  }

  /**
   * The vault's periodic jobs, in start order (shredder, lifecycle monitor, KEK re-wrap,
   * assertion replay purge, ID token replay purge), not running: a {@link CofferServer} runs them while it serves
   * (see {@link BackgroundJobs}).
   */
  public List<BackgroundJob> backgroundJobs() {
    List<BackgroundJob> jobs = new ArrayList<>(secrets.backgroundJobs());
    jobs.addAll(lifecycle.backgroundJobs());
    jobs.addAll(operator.backgroundJobs());
    jobs.addAll(assertions.backgroundJobs());
    jobs.addAll(identity.backgroundJobs());
    return List.copyOf(jobs);
  }

  @Override
  public void close() {
    lifecycle.close();
    kernel.close();
    storage.close();
  }
}
