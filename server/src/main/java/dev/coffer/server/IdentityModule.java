package dev.coffer.server;

import dev.coffer.server.api.LoginGrpcService;
import dev.coffer.server.api.TrustedIssuerGrpcService;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.identity.FederatedLogin;
import dev.coffer.server.service.identity.FederatedTokenVerifier;
import dev.coffer.server.service.identity.IssuerKeys;
import dev.coffer.server.service.identity.TrustedIssuers;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.records.IdTokenReplayRepository;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TrustedIssuerRepository;
import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Capability module "identity" (identity federation, issue 19): each tenant's trusted JWT
 * issuers, their cached public keys, and sign-in by exchanging such a JWT for a short-lived
 * Coffer token. Built from the storage, kernel, directory (token minting) and operator (the
 * rate-limited audit of refused sign-ins) modules, the clock, the instrumentation and the
 * hosts the operator lets the server fetch issuer keys from.
 * Security: only public keys are kept; a JWT is never stored, logged or audited, only a digest
 * of a person's ID token (its replay entry). Contract: its one job purges lapsed replay
 * entries, leader only.
 */
public final class IdentityModule {

  private static final int PURGE_BATCH = 10_000;

  private final TrustedIssuers issuers;
  private final FederatedLogin login;
  private final IdTokenReplayRepository replays;
  private final Clock clock;

  IdentityModule(StorageModule storage, KernelModule kernel, DirectoryModule directory,
      LifecycleModule lifecycle, OperatorModule operator, Clock clock, VaultInstrumentation metrics,
      IssuerFetchHosts fetchHosts) {
    KvStore store = storage.store();
    TrustedIssuerRepository issuerRepo = new TrustedIssuerRepository(store);
    TenantRepository tenantRepo = new TenantRepository(store);
    IssuerKeys keys = new IssuerKeys(IssuerKeys.Settings.defaults(), clock, fetchHosts);
    this.clock = clock;
    this.replays = new IdTokenReplayRepository(store);
    this.issuers = new TrustedIssuers(issuerRepo, tenantRepo, keys, kernel.governance(),
        lifecycle.events());
    this.login = new FederatedLogin(new FederatedTokenVerifier(issuerRepo, keys, clock),
        tenantRepo, replays, directory.tokens(), operator.authFailures(), kernel.governance(),
        metrics.logins());
  }

  /** Trusted issuers: create, get, list, delete. */
  public TrustedIssuers issuers() {
    return issuers;
  }

  /** Sign-in with a trusted issuer's JWT. */
  public FederatedLogin login() {
    return login;
  }

  List<BackgroundJob> backgroundJobs() {
    return List.of(BackgroundJob.onLeaderOnly("coffer-id-token-replay-purge",
        Duration.ofMinutes(1), Duration.ofMinutes(1),
        () -> replays.purgeExpired(clock.instant(), PURGE_BATCH)));
  }

  /** The gRPC adapters: trusted issuers, and the sign-in service callable without a token. */
  List<BindableService> grpcServices() {
    return List.of(new TrustedIssuerGrpcService(issuers), new LoginGrpcService(login, issuers));
  }
}
