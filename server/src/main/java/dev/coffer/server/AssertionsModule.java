package dev.coffer.server;

import dev.coffer.server.api.ClientAssertionGrpcService;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.assertions.AssertionRules;
import dev.coffer.server.service.assertions.ClientAssertions;
import dev.coffer.server.service.assertions.JwksService;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.AssertionReplayRepository;
import dev.coffer.server.store.records.SecretRepository;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;

/**
 * Capability module "assertions": checks of signed-JWT client assertions (with their replay
 * cache) and the JWK Sets signed-JWT applications publish. Built from the storage and
 * kernel modules, the clock and the instrumentation. Security: only public keys leave (in
 * a JWKS); a checked assertion is recorded by id, never by its signature. Contract: its one
 * job purges expired replay entries, leader only.
 */
public final class AssertionsModule {

  private final ClientAssertions clientAssertions;
  private final JwksService jwks;

  AssertionsModule(StorageModule storage, KernelModule kernel, Clock clock,
      VaultInstrumentation metrics) {
    KvStore store = storage.store();
    ApplicationRepository appRepo = new ApplicationRepository(store);
    SecretRepository secretRepo = new SecretRepository(store);
    this.clientAssertions = new ClientAssertions(appRepo, secretRepo,
        new AssertionReplayRepository(store), kernel.governance(), metrics.assertionChecks());
    this.jwks = new JwksService(appRepo, secretRepo, clock);
  }

  /** Client assertion checks of signed-JWT applications. */
  public ClientAssertions clientAssertions() {
    return clientAssertions;
  }

  /** JWK Sets of signed-JWT applications. */
  public JwksService jwks() {
    return jwks;
  }

  List<BackgroundJob> backgroundJobs() {
    return List.of(clientAssertions.replayPurgeJob());
  }

  /** The gRPC adapter, checking against {@code rules} when a request names no audiences. */
  List<BindableService> grpcServices(AssertionRules rules) {
    return List.of(new ClientAssertionGrpcService(clientAssertions, jwks, rules));
  }
}
