package dev.coffer.server;

import dev.coffer.server.api.LifecycleGrpcService;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.SecretHolders;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.service.lifecycle.LifecycleMonitor;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.store.records.SecretRepository;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;

/**
 * Capability module "lifecycle": the event bus the other modules publish committed state
 * changes to ({@link LifecycleEvents}, with the {@link SecretHolders} that decide who may
 * hear about a secret) and the expiry monitor that publishes warnings and expiries. Built
 * from the storage and kernel modules and the clock. Security: notices carry ids and
 * times, never a value. Contract: its one job is the monitor's tick; {@link #close()} ends
 * every watch.
 */
public final class LifecycleModule implements AutoCloseable {

  private final SecretHolders holders;
  private final LifecycleEvents events;
  private final LifecycleMonitor monitor;

  LifecycleModule(StorageModule storage, KernelModule kernel, Clock clock) {
    KvStore store = storage.store();
    this.holders = new SecretHolders(new ApplicationRepository(store),
        new ScopeRepository(store));
    this.events = new LifecycleEvents(holders, kernel.governance().policy());
    this.monitor = new LifecycleMonitor(new SecretRepository(store), new GrantRepository(store),
        new AccessRequestRepository(store), events, clock, LifecycleMonitor.DEFAULT_MAX_PER_TICK);
  }

  /** The lifecycle bus: modules publish committed state changes; watchers subscribe. */
  public LifecycleEvents events() {
    return events;
  }

  /** Publishes expiry warnings and expiries; run by the server's jobs, ticked by tests. */
  public LifecycleMonitor monitor() {
    return monitor;
  }

  /** Who holds a secret (its application or scope), as the policy sees it. */
  SecretHolders holders() {
    return holders;
  }

  List<BackgroundJob> backgroundJobs() {
    return List.of(monitor.job());
  }

  /** The gRPC adapter: lifecycle watches, authenticated by {@code tokens}. */
  List<BindableService> grpcServices(Tokens tokens) {
    return List.of(new LifecycleGrpcService(events, tokens));
  }

  @Override
  public void close() {
    events.close();
  }
}
