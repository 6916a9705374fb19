package dev.coffer.server;

import dev.coffer.server.api.ApplicationGrpcService;
import dev.coffer.server.api.PrincipalGrpcService;
import dev.coffer.server.api.ScopeGrpcService;
import dev.coffer.server.api.TenantGrpcService;
import dev.coffer.server.api.TokenGrpcService;
import dev.coffer.server.service.directory.Applications;
import dev.coffer.server.service.directory.BootstrapService;
import dev.coffer.server.service.directory.Principals;
import dev.coffer.server.service.directory.Scopes;
import dev.coffer.server.service.directory.Tenants;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TokenRepository;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;

/**
 * Capability module "directory", who is who: tenants, principals, access tokens,
 * applications (whose first secret the secrets module mints), scopes and the first-start
 * bootstrap. Built from the storage, keys, kernel, lifecycle and secrets modules and the
 * clock; opening it backfills the tokens' principal index once. Security: a token's value
 * leaves only in its issue response; only its keyed lookup hash is stored.
 */
public final class DirectoryModule {

  private final TokenRepository tokenRepo;
  private final Tenants tenants;
  private final Principals principals;
  private final Tokens tokens;
  private final Applications applications;
  private final Scopes scopes;
  private final BootstrapService bootstrap;

  DirectoryModule(StorageModule storage, KeysModule keys, KernelModule kernel,
      LifecycleModule lifecycle, SecretsModule secrets, Clock clock) {
    KvStore store = storage.store();
    Governance gov = kernel.governance();
    TenantRepository tenantRepo = new TenantRepository(store);
    this.tokenRepo = new TokenRepository(store);
    tokenRepo.backfillPrincipalIndex();
    this.tenants = new Tenants(tenantRepo, new LocationRepository(store), tokenRepo, gov,
        lifecycle.events());
    this.principals = new Principals(tenantRepo, gov);
    this.tokens = new Tokens(tokenRepo, tenantRepo, keys.generator(), keys.lookupKeys(),
        keys.ids(), gov, lifecycle.events());
    this.scopes = new Scopes(new ScopeRepository(store), tenantRepo, gov);
    this.applications = new Applications(new ApplicationRepository(store), tenantRepo,
        secrets.secrets(), keys.ids(), gov);
    this.bootstrap = new BootstrapService(tenantRepo, tenants, tokens, kernel.meteredAudit(),
        clock);
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

  public Applications applications() {
    return applications;
  }

  public Scopes scopes() {
    return scopes;
  }

  /** Creates the default tenant and its first administrator in an empty vault. */
  public BootstrapService bootstrap() {
    return bootstrap;
  }

  /** The token records (with their lookup cache), for the audit of failed sign-ins. */
  TokenRepository tokenRepository() {
    return tokenRepo;
  }

  /** The gRPC adapters: tenants, principals, tokens, applications and scopes. */
  List<BindableService> grpcServices(Clock clock) {
    return List.of(new TenantGrpcService(tenants), new PrincipalGrpcService(principals),
        new TokenGrpcService(tokens), new ApplicationGrpcService(applications, clock),
        new ScopeGrpcService(scopes));
  }
}
