package dev.coffer.server;

import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.BackgroundJobs;
import dev.coffer.server.store.RocksKvStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The vault below the transport: opens the database in a data directory and owns the
 * capability modules built over it (storage, keys, kernel, lifecycle, secrets, directory,
 * sharing, assertions, operator), each from only the modules it needs. Opening fails with a
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

  /** Administration, KEK rotation, the audit trail and failed sign-ins. */
  public OperatorModule operator() {
    return operator;
  }

  /**
   * The vault's periodic jobs, in start order (shredder, lifecycle monitor, KEK re-wrap,
   * assertion replay purge), not running: a {@link CofferServer} runs them while it serves
   * (see {@link BackgroundJobs}).
   */
  public List<BackgroundJob> backgroundJobs() {
    List<BackgroundJob> jobs = new ArrayList<>(secrets.backgroundJobs());
    jobs.addAll(lifecycle.backgroundJobs());
    jobs.addAll(operator.backgroundJobs());
    jobs.addAll(assertions.backgroundJobs());
    return List.copyOf(jobs);
  }

  @Override
  public void close() {
    lifecycle.close();
    kernel.close();
    storage.close();
  }
}
