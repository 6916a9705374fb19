package dev.coffer.server;

import dev.coffer.server.api.LeakReportGrpcService;
import dev.coffer.server.api.LocationGrpcService;
import dev.coffer.server.api.SecretGrpcService;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.secrets.CredentialService;
import dev.coffer.server.service.secrets.DataKeyShredder;
import dev.coffer.server.service.secrets.LeakReports;
import dev.coffer.server.service.secrets.Locations;
import dev.coffer.server.service.secrets.QuarantineService;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretReader;
import dev.coffer.server.service.secrets.SecretRotator;
import dev.coffer.server.service.secrets.SecretSettings;
import dev.coffer.server.service.secrets.SecretVerifier;
import dev.coffer.server.service.secrets.Secrets;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Capability module "secrets": creating, describing, reading, verifying, rotating and
 * deleting secrets, stored credentials, locations, quarantine, leak reports and the
 * crypto-shredding of deleted data keys. Built from the storage, keys, kernel and lifecycle
 * modules, the verify-failure rate limit and the instrumentation. Security: values are
 * generated and sealed here (keys module's cipher and MAC) and leave only in a create,
 * read or rotate response, never in metadata, audit or logs. Contract: its one job is the
 * data-key shredder, every second.
 */
public final class SecretsModule {

  private static final Duration SHRED_PERIOD = Duration.ofSeconds(1);

  private final Locations locations;
  private final DataKeyShredder shredder;
  private final Secrets secrets;
  private final SecretReader reader;
  private final SecretVerifier verifier;
  private final SecretRotator rotator;
  private final CredentialService credentials;
  private final QuarantineService quarantine;
  private final LeakReports leakReports;

  SecretsModule(StorageModule storage, KeysModule keys, KernelModule kernel,
      LifecycleModule lifecycle, long verifyFailuresPerMinute, VaultInstrumentation metrics) {
    KvStore store = storage.store();
    Governance gov = kernel.governance();
    TenantRepository tenantRepo = new TenantRepository(store);
    SecretRepository secretRepo = new SecretRepository(store);
    GrantRepository grantRepo = new GrantRepository(store);
    this.locations = new Locations(new LocationRepository(store), gov);
    SecretMinter minter = new SecretMinter(keys.generator(), keys.mac(), keys.cipher(),
        keys.ids(), keys.lookupKeys());
    SecretSettings secretSettings = new SecretSettings(tenantRepo, locations);
    this.shredder = new DataKeyShredder(store);
    this.secrets = new Secrets(secretRepo, lifecycle.holders(), tenantRepo, secretSettings,
        minter, gov, lifecycle.events(), shredder);
    this.quarantine = new QuarantineService(secrets, secretRepo, gov, lifecycle.events());
    this.leakReports = new LeakReports(secretRepo, keys.lookupKeys(), keys.mac(), quarantine,
        gov, metrics.leakReports());
    this.reader = new SecretReader(secrets, grantRepo, keys.cipher(), gov);
    this.rotator = new SecretRotator(secrets, secretRepo, grantRepo, tenantRepo, minter,
        keys.ids(), gov, lifecycle.events());
    this.credentials = new CredentialService(secretRepo, tenantRepo, secretSettings, minter,
        gov);
    this.verifier = new SecretVerifier(secretRepo, new ApplicationRepository(store),
        new ScopeRepository(store), keys.mac(), gov, verifyFailuresPerMinute,
        metrics.verifyFailures());
  }

  public Locations locations() {
    return locations;
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

  /** Quarantine of secrets reported leaked, and its release. */
  public QuarantineService quarantine() {
    return quarantine;
  }

  /** Leaked-secret reports (callable without a token). */
  public LeakReports leakReports() {
    return leakReports;
  }

  /** Purges deleted data keys from storage files (crypto shredding). */
  public DataKeyShredder shredder() {
    return shredder;
  }

  List<BackgroundJob> backgroundJobs() {
    return List.of(shredder.job(SHRED_PERIOD));
  }

  /**
   * The gRPC adapters: locations, secrets (slow key-pair generation on {@code slowWork}) and
   * leak reports.
   */
  List<BindableService> grpcServices(Clock clock, Executor slowWork) {
    return List.of(new LocationGrpcService(locations),
        new SecretGrpcService(secrets, reader, verifier, rotator, credentials, quarantine, clock,
            slowWork),
        new LeakReportGrpcService(leakReports));
  }
}
