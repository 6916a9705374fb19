package dev.coffer.server;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.service.AccessRequestService;
import dev.coffer.server.service.CredentialService;
import dev.coffer.server.service.GrantService;
import dev.coffer.server.service.SecretRotator;
import dev.coffer.server.service.ApplicationService;
import dev.coffer.server.service.BootstrapService;
import dev.coffer.server.service.Governance;
import dev.coffer.server.service.IdGenerator;
import dev.coffer.server.service.LocationService;
import dev.coffer.server.service.PrincipalService;
import dev.coffer.server.service.SecretMinter;
import dev.coffer.server.service.SecretReader;
import dev.coffer.server.service.SecretService;
import dev.coffer.server.service.SecretSettings;
import dev.coffer.server.service.SecretVerifier;
import dev.coffer.server.service.TenantService;
import dev.coffer.server.service.TokenService;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TokenRepository;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The vault below the transport: storage, keys, audit and every service, wired once.
 * Opening fails with a clear message when the root key cannot decrypt the stored keysets.
 * Closing closes the database; services must not be used afterwards.
 */
public final class Vault implements AutoCloseable {

  private final RocksKvStore store;
  private final Keyring keyring;
  private final AuditLog audit;
  private final TenantService tenants;
  private final PrincipalService principals;
  private final TokenService tokens;
  private final LocationService locations;
  private final ApplicationService applications;
  private final SecretService secrets;
  private final SecretReader reader;
  private final SecretVerifier verifier;
  private final SecretRotator rotator;
  private final CredentialService credentials;
  private final GrantService grants;
  private final AccessRequestService accessRequests;
  private final BootstrapService bootstrap;

  private Vault(RocksKvStore store, RootKeyProvider rootKey, Clock clock,
      long verifyFailuresPerMinute) {
    this.store = store;
    this.keyring = Keyring.open(rootKey, new StoredKeysets(store));
    SecureRandom random = new SecureRandom();
    SecretGenerator generator = new SecretGenerator(random);
    IdGenerator ids = new IdGenerator(random);
    this.audit = new ChainedAuditLog(store);
    Governance gov = Governance.of(audit, clock);
    TenantRepository tenantRepo = new TenantRepository(store);
    LocationRepository locationRepo = new LocationRepository(store);
    ApplicationRepository appRepo = new ApplicationRepository(store);
    SecretRepository secretRepo = new SecretRepository(store);
    this.tenants = new TenantService(tenantRepo, locationRepo, gov);
    this.principals = new PrincipalService(tenantRepo, gov);
    this.tokens = new TokenService(new TokenRepository(store), tenantRepo, generator,
        keyring.lookupKeys(), ids, gov);
    this.locations = new LocationService(locationRepo, gov);
    SecretMinter minter = new SecretMinter(generator, keyring.verifierMac(),
        keyring.envelopeCipher(), ids);
    SecretSettings settings = new SecretSettings(tenantRepo, locations);
    this.secrets = new SecretService(secretRepo, appRepo, tenantRepo, settings, minter, gov);
    this.applications = new ApplicationService(appRepo, tenantRepo, secrets, ids, gov);
    GrantRepository grantRepo = new GrantRepository(store);
    this.reader = new SecretReader(secrets, grantRepo, keyring.envelopeCipher(), gov);
    this.rotator = new SecretRotator(secrets, secretRepo, grantRepo, tenantRepo, minter, ids,
        gov);
    this.credentials = new CredentialService(secretRepo, tenantRepo, settings, minter, gov);
    this.grants = new GrantService(grantRepo, tenantRepo, secrets, ids, gov);
    this.accessRequests = new AccessRequestService(new AccessRequestRepository(store), grantRepo,
        tenantRepo, secrets, ids, gov);
    this.verifier = new SecretVerifier(secretRepo, appRepo, keyring.verifierMac(), gov,
        verifyFailuresPerMinute);
    this.bootstrap = new BootstrapService(tenantRepo, tenants, tokens, audit, clock);
  }

  /** Opens (or creates) the vault whose database lives in {@code dbDir}. */
  public static Vault open(Path dbDir, RootKeyProvider rootKey, Clock clock,
      long verifyFailuresPerMinute) {
    RocksKvStore store = RocksKvStore.open(dbDir);
    try {
      return new Vault(store, rootKey, clock, verifyFailuresPerMinute);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public RocksKvStore store() {
    return store;
  }

  public Keyring keyring() {
    return keyring;
  }

  public AuditLog audit() {
    return audit;
  }

  public TenantService tenants() {
    return tenants;
  }

  public PrincipalService principals() {
    return principals;
  }

  public TokenService tokens() {
    return tokens;
  }

  public LocationService locations() {
    return locations;
  }

  public ApplicationService applications() {
    return applications;
  }

  public SecretService secrets() {
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

  public GrantService grants() {
    return grants;
  }

  public AccessRequestService accessRequests() {
    return accessRequests;
  }

  public BootstrapService bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() {
    store.close();
  }
}
