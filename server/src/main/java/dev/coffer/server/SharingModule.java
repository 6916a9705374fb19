package dev.coffer.server;

import dev.coffer.server.api.AccessGrpcService;
import dev.coffer.server.api.GrantGrpcService;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.sharing.AccessRequests;
import dev.coffer.server.service.sharing.Grants;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.TenantRepository;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;

/**
 * Capability module "sharing", who else may read a vaulted secret: access requests and the
 * grants that approve them. Built from the storage, keys, kernel, lifecycle and secrets
 * modules. Security: a grant names a secret and a grantee, never a value; every lookup
 * goes through the secrets module's visibility rules.
 */
public final class SharingModule {

  private final Grants grants;
  private final AccessRequests accessRequests;

  SharingModule(StorageModule storage, KeysModule keys, KernelModule kernel,
      LifecycleModule lifecycle, SecretsModule secrets) {
    KvStore store = storage.store();
    Governance gov = kernel.governance();
    TenantRepository tenantRepo = new TenantRepository(store);
    GrantRepository grantRepo = new GrantRepository(store);
    this.grants = new Grants(grantRepo, tenantRepo, secrets.secrets(), keys.ids(), gov,
        lifecycle.events());
    this.accessRequests = new AccessRequests(new AccessRequestRepository(store), grantRepo,
        tenantRepo, secrets.secrets(), keys.ids(), gov, lifecycle.events());
  }

  public Grants grants() {
    return grants;
  }

  public AccessRequests accessRequests() {
    return accessRequests;
  }

  /** The gRPC adapters: access requests and grants. */
  List<BindableService> grpcServices(Clock clock) {
    return List.of(new AccessGrpcService(accessRequests, clock),
        new GrantGrpcService(grants, clock));
  }
}
