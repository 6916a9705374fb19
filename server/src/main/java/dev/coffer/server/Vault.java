package dev.coffer.server;

import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.AuditQuery;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.crypto.AuditSignature;
import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.BackgroundJobs;
import dev.coffer.server.service.secrets.DataKeyShredder;
import dev.coffer.server.service.keys.KekRewrapJob;
import dev.coffer.server.service.keys.KekService;
import dev.coffer.server.service.operator.VaultAdmin;
import dev.coffer.server.backup.BackupWriter;
import dev.coffer.server.store.Table;
import dev.coffer.server.service.sharing.AccessRequests;
import dev.coffer.server.service.operator.AuditTrailService;
import dev.coffer.server.service.operator.AuthFailureAudit;
import dev.coffer.server.service.assertions.ClientAssertions;
import dev.coffer.server.service.secrets.CredentialService;
import dev.coffer.server.service.sharing.Grants;
import dev.coffer.server.service.secrets.SecretRotator;
import dev.coffer.server.service.directory.Applications;
import dev.coffer.server.service.directory.BootstrapService;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.IdGenerator;
import dev.coffer.server.service.assertions.JwksService;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.service.secrets.LeakReports;
import dev.coffer.server.service.lifecycle.LifecycleMonitor;
import dev.coffer.server.service.secrets.Locations;
import dev.coffer.server.service.directory.Principals;
import dev.coffer.server.service.secrets.QuarantineService;
import dev.coffer.server.service.directory.Scopes;
import dev.coffer.server.service.kernel.SecretHolders;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretReader;
import dev.coffer.server.service.secrets.Secrets;
import dev.coffer.server.service.secrets.SecretSettings;
import dev.coffer.server.service.secrets.SecretVerifier;
import dev.coffer.server.service.directory.Tenants;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.store.CachingKvStore;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.StorageWriteHealth;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.AssertionReplayRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.DataKeyMigration;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TokenRepository;
import java.nio.file.Path;
import java.util.List;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The vault below the transport: storage, keys, audit and every service, wired once.
 * Opening fails with a clear message when the root key cannot decrypt the stored keysets.
 * Closing signs an audit checkpoint at the head (clean shutdown), then closes the
 * database; services must not be used afterwards. Opening starts no background job (see
 * {@link #backgroundJobs}); stop the server running them before closing.
 */
public final class Vault implements AutoCloseable {

  private static final java.time.Duration SHRED_PERIOD = java.time.Duration.ofSeconds(1);
  private static final java.time.Duration REWRAP_PERIOD = java.time.Duration.ofSeconds(2);

  private final RocksKvStore rocks;
  private final CachingKvStore store;
  private final Keyring keyring;
  private final ChainedAuditLog audit;
  private final StorageWriteHealth storageWrites;
  private final AuditTrailService auditTrail;
  private final AuthFailureAudit authFailures;
  private final Tenants tenants;
  private final Principals principals;
  private final Tokens tokens;
  private final Locations locations;
  private final Applications applications;
  private final Secrets secrets;
  private final SecretReader reader;
  private final SecretVerifier verifier;
  private final SecretRotator rotator;
  private final CredentialService credentials;
  private final Grants grants;
  private final AccessRequests accessRequests;
  private final BootstrapService bootstrap;
  private final LifecycleEvents lifecycleEvents;
  private final LifecycleMonitor lifecycleMonitor;
  private final DataKeyShredder shredder;
  private final KekRewrapJob rewrapJob;
  private final VaultAdmin admin;
  private final Scopes scopes;
  private final QuarantineService quarantine;
  private final LeakReports leakReports;
  private final ClientAssertions clientAssertions;
  private final JwksService jwks;

  private Vault(RocksKvStore rocks, RootKeyProvider rootKey, Clock clock,
      VaultSettings settings, VaultInstrumentation metrics) {
    this.rocks = rocks;
    CachingKvStore store = new CachingKvStore(rocks, settings.readCacheBytes());
    this.store = store;
    DataKeyMigration.runOnce(store);
    this.keyring = Keyring.open(rootKey, new StoredKeysets(store));
    EnvelopeCipher cipher = metrics.envelopeCipher(keyring.envelopeCipher());
    VerifierMac mac = metrics.verifierMac(keyring.verifierMac());
    SecureRandom random = new SecureRandom();
    SecretGenerator generator = new SecretGenerator(random);
    IdGenerator ids = new IdGenerator(random);
    AuditSignature signature = keyring.auditSignature();
    CheckpointSigner signer = CheckpointSigner.of(signature::sign, signature::verify);
    this.storageWrites = new StorageWriteHealth(clock);
    this.audit = new ChainedAuditLog(store, signer, settings.auditCheckpointInterval(),
        storageWrites);
    AuditLog meteredAudit = metrics.audit(audit);
    Governance gov = Governance.of(meteredAudit, clock);
    TenantRepository tenantRepo = new TenantRepository(store);
    LocationRepository locationRepo = new LocationRepository(store);
    ApplicationRepository appRepo = new ApplicationRepository(store);
    SecretRepository secretRepo = new SecretRepository(store);
    ScopeRepository scopeRepo = new ScopeRepository(store);
    SecretHolders holders = new SecretHolders(appRepo, scopeRepo);
    this.lifecycleEvents = new LifecycleEvents(holders, gov.policy());
    this.tenants = new Tenants(tenantRepo, locationRepo, gov);
    this.principals = new Principals(tenantRepo, gov);
    TokenRepository tokenRepo = new TokenRepository(store);
    tokenRepo.backfillPrincipalIndex();
    this.tokens = new Tokens(tokenRepo, tenantRepo, generator, keyring.lookupKeys(), ids,
        gov, lifecycleEvents);
    this.locations = new Locations(locationRepo, gov);
    SecretMinter minter = new SecretMinter(generator, mac, cipher, ids, keyring.lookupKeys());
    SecretSettings secretSettings = new SecretSettings(tenantRepo, locations);
    this.shredder = new DataKeyShredder(store);
    this.secrets = new Secrets(secretRepo, holders, tenantRepo, secretSettings, minter,
        gov, lifecycleEvents, shredder);
    this.scopes = new Scopes(scopeRepo, tenantRepo, gov);
    this.quarantine = new QuarantineService(secrets, secretRepo, gov, lifecycleEvents);
    this.leakReports = new LeakReports(secretRepo, keyring.lookupKeys(), mac, quarantine,
        gov, metrics.leakReports());
    this.clientAssertions = new ClientAssertions(appRepo, secretRepo,
        new AssertionReplayRepository(store), gov, metrics.assertionChecks());
    this.jwks = new JwksService(appRepo, secretRepo, clock);
    this.applications = new Applications(appRepo, tenantRepo, secrets, ids, gov);
    GrantRepository grantRepo = new GrantRepository(store);
    this.reader = new SecretReader(secrets, grantRepo, cipher, gov);
    this.rotator = new SecretRotator(secrets, secretRepo, grantRepo, tenantRepo, minter, ids,
        gov, lifecycleEvents);
    this.credentials = new CredentialService(secretRepo, tenantRepo, secretSettings, minter, gov);
    this.grants = new Grants(grantRepo, tenantRepo, secrets, ids, gov, lifecycleEvents);
    AccessRequestRepository requestRepo = new AccessRequestRepository(store);
    this.accessRequests = new AccessRequests(requestRepo, grantRepo,
        tenantRepo, secrets, ids, gov, lifecycleEvents);
    this.lifecycleMonitor = new LifecycleMonitor(secretRepo, grantRepo, requestRepo,
        lifecycleEvents, clock, LifecycleMonitor.DEFAULT_MAX_PER_TICK);
    this.verifier = new SecretVerifier(secretRepo, appRepo, scopeRepo, mac, gov,
        settings.verifyFailuresPerMinute(), metrics.verifyFailures());
    this.bootstrap = new BootstrapService(tenantRepo, tenants, tokens, meteredAudit, clock);
    this.auditTrail = new AuditTrailService(new AuditQuery(store),
        new AuditChainVerifier(store, signer), gov);
    this.authFailures = new AuthFailureAudit(tokenRepo, keyring.lookupKeys(), meteredAudit,
        clock);
    this.rewrapJob = new KekRewrapJob(store, secretRepo, cipher, meteredAudit, clock,
        () -> rocks.estimatedKeys(Table.DATA_KEYS), KekRewrapJob.DEFAULT_PAGE);
    KekService kek = new KekService(keyring.kek(), rewrapJob, gov);
    kek.resumeIfNeeded();
    metrics.kekRewrap(rewrapJob);
    this.admin = new VaultAdmin(kek,
        settings.backupDir() == null ? null : new BackupWriter(rocks, settings.backupDir(), clock),
        rootKey.description(), rocks, storageWrites, gov);
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
    RocksKvStore store = RocksKvStore.open(dbDir);
    try {
      return new Vault(store, rootKey, clock, settings, metrics);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * The store every service reads and writes: the database behind a read cache. Write only
   * through it (a write to {@link #rocks()} would leave the cache stale).
   */
  public KvStore store() {
    return store;
  }

  /** The read cache {@link #store()} is, for its figures. */
  public CachingKvStore readCache() {
    return store;
  }

  /** The database itself, for its statistics and checkpoints; never write through it. */
  public RocksKvStore rocks() {
    return rocks;
  }

  public Keyring keyring() {
    return keyring;
  }

  public AuditLog audit() {
    return audit;
  }

  /** Whether storage writes currently fail (shown by the admin status). */
  public StorageWriteHealth storageWrites() {
    return storageWrites;
  }

  /** Audit query, export and chain verification. */
  public AuditTrailService auditTrail() {
    return auditTrail;
  }

  /** Records failed authentications (rate limited); the auth interceptor calls it. */
  public AuthFailureAudit authFailures() {
    return authFailures;
  }

  public Tenants tenants() {
    return tenants;
  }

  public Principals principals() {
    return principals;
  }

  public Tokens tokens() {
    return tokens;
  }

  public Locations locations() {
    return locations;
  }

  public Applications applications() {
    return applications;
  }

  public Secrets secrets() {
    return secrets;
  }

  public SecretReader reader() {
    return reader;
  }

  public SecretVerifier verifier() {
    return verifier;
  }

  public SecretRotator rotator() {
    return rotator;
  }

  public CredentialService credentials() {
    return credentials;
  }

  public Grants grants() {
    return grants;
  }

  public AccessRequests accessRequests() {
    return accessRequests;
  }

  public BootstrapService bootstrap() {
    return bootstrap;
  }

  public Scopes scopes() {
    return scopes;
  }

  /** Quarantine of secrets reported leaked, and its release. */
  public QuarantineService quarantine() {
    return quarantine;
  }

  /** Leaked-secret reports (callable without a token). */
  public LeakReports leakReports() {
    return leakReports;
  }

  /** Client assertion checks of signed-JWT applications. */
  public ClientAssertions clientAssertions() {
    return clientAssertions;
  }

  /** JWK Sets of signed-JWT applications. */
  public JwksService jwks() {
    return jwks;
  }

  /** The lifecycle bus: services publish committed state changes; watchers subscribe. */
  public LifecycleEvents lifecycleEvents() {
    return lifecycleEvents;
  }

  /** Status, KEK rotation and backups, for operators. */
  public VaultAdmin admin() {
    return admin;
  }

  /**
   * The vault's periodic jobs, in start order, not running: a {@link CofferServer} runs
   * them while it serves (see {@link BackgroundJobs}).
   */
  public List<BackgroundJob> backgroundJobs() {
    return List.of(shredder.job(SHRED_PERIOD), lifecycleMonitor.job(),
        rewrapJob.job(REWRAP_PERIOD), clientAssertions.replayPurgeJob());
  }

  /** Re-wraps data keys after a KEK rotation; run by the server's jobs, and by tests. */
  public KekRewrapJob rewrapJob() {
    return rewrapJob;
  }

  /** Purges deleted data keys from storage files (crypto shredding). */
  public DataKeyShredder shredder() {
    return shredder;
  }

  /** Publishes expiry warnings and expiries; run by the server's jobs, ticked by tests. */
  public LifecycleMonitor lifecycleMonitor() {
    return lifecycleMonitor;
  }

  @Override
  public void close() {
    lifecycleEvents.close();
    audit.close(); // writes what is queued first
    try {
      audit.checkpoint();
    } catch (RuntimeException e) {
      // Best effort: the next open anchors a checkpoint at the head instead.
    }
    store.close();
  }
}
