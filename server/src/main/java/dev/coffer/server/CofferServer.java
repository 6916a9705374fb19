package dev.coffer.server;

import dev.coffer.server.api.MalformedRequestGuard;
import dev.coffer.server.api.PageTokens;
import dev.coffer.server.auth.AuthInterceptor;
import dev.coffer.server.auth.CertificateIdentity;
import dev.coffer.server.cluster.ClockCheck;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.metrics.CofferMetrics;
import dev.coffer.server.metrics.GrpcServerMetrics;
import dev.coffer.server.metrics.ReadCacheMetrics;
import dev.coffer.server.metrics.VaultStatistics;
import dev.coffer.server.service.assertions.AssertionRules;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.BackgroundJobs;
import dev.coffer.server.store.GuardedReads;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of a {@link Vault}: every Coffer service behind the authentication
 * interceptor, plus the standard health and reflection services. Takes any
 * {@link ServerBuilder}, so tests hand it an in-process builder (as grpc-java's
 * RouteGuideServer does). On {@link #stop} health turns NOT_SERVING first, then in-flight
 * calls drain for a grace period before the rest are cancelled. With {@link CofferMetrics},
 * every service (health and reflection too) is counted and timed by Micrometer's gRPC
 * interceptor, outermost, and the domain statistics job runs while the server does.
 *
 * <p>Background work: the server owns one {@link BackgroundJobs}, holding the vault's jobs
 * ({@link Vault#backgroundJobs()}), the statistics sweep and any added job; they start after
 * the server serves and stop first on {@link #stop}. Building starts no thread.
 */
public final class CofferServer {

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final CallExecutors callExecutors = new CallExecutors();
  private final Vault vault;
  private final GrpcServerMetrics grpcMetrics; // null without metrics
  private final BackgroundJobs jobs = new BackgroundJobs();
  private boolean stopping; // guarded by this

  /**
   * A builder of the server of {@code vault}; give it at least a {@link Builder#transport}.
   */
  public static Builder builder(Vault vault) {
    return new Builder(vault);
  }

  private CofferServer(Builder b) {
    ServerBuilder<?> builder = b.transport;
    Vault vault = b.vault;
    Clock clock = b.clock;
    CofferMetrics metrics = b.metrics;
    CertificateIdentity clientCertificates = b.clientCertificates;
    AssertionRules assertionRules = b.assertionRules;
    int maxInboundBytes = b.maxInboundBytes;
    this.vault = vault;
    UnreadableMessageLog.install(clock);
    this.grpcMetrics = metrics == null ? null : metrics.grpc();
    b.backgroundJobs.forEach(jobs::register);
    if (metrics != null) {
      VaultStatistics statistics = metrics.statistics(vault.storage().rocks(), clock);
      jobs.register(statistics.job());
      new ReadCacheMetrics(vault.storage().readCache()).bindTo(metrics.registry());
    }
    b.addedJobs.forEach(jobs::register);
    vault.storage().cluster().ifPresent(node -> {
      if (metrics != null) {
        metrics.cluster(node, clock);
      }
      callExecutors.linearizable(node::readBarrier);
      jobs.leadership(node::isLeader).eachRunThrough(GuardedReads::run);
      jobs.register(BackgroundJob.onEveryNode("coffer-cluster-health", Duration.ZERO,
          Duration.ofSeconds(1), () -> reportHealth(node.status().serving())));
      jobs.register(BackgroundJob.onEveryNode("coffer-cluster-clock", Duration.ZERO,
          ClockCheck.PERIOD, node::sendClockBeacon));
    });
    AuthInterceptor auth = new AuthInterceptor(vault.directory().tokens(),
        vault.operator().authFailures(), clientCertificates);
    List<BindableService> services = new ArrayList<>();
    services.addAll(vault.directory().grpcServices(clock));
    services.addAll(vault.secrets().grpcServices(clock, callExecutors.blocking()));
    services.addAll(vault.assertions().grpcServices(assertionRules));
    services.addAll(vault.sharing().grpcServices(clock));
    services.addAll(vault.lifecycle().grpcServices(vault.directory().tokens()));
    services.addAll(vault.operator().grpcServices());
    services.addAll(vault.identity().grpcServices());
    PageTokens pageTokens = new PageTokens(vault.keys().keyring().pageTokens());
    for (BindableService service : services) {
      builder.addService(metered(ServerInterceptors.intercept(
          MalformedRequestGuard.guard(service.bindService()), pageTokens, auth)));
    }
    builder.addService(metered(health.getHealthService().bindService()));
    builder.addService(metered(ProtoReflectionServiceV1.newInstance().bindService()));
    builder.maxInboundMessageSize(maxInboundBytes);
    builder.directExecutor().callExecutor(callExecutors); // see CallExecutors
    this.server = builder.build();
  }

  public CofferServer start() throws IOException {
    server.start();
    reportHealth(vault.storage().cluster().map(node -> node.status().serving()).orElse(true));
    jobs.start();
    return this;
  }

  /**
   * SERVING for the whole server and each service, or NOT_SERVING: a cluster node that knows
   * no leader or is far behind what its group committed (see ClusterStatus#serving).
   */
  private synchronized void reportHealth(boolean serving) {
    ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    if (stopping) {
      return;
    }
    health.setStatus("", status);
    for (var service : server.getServices()) {
      health.setStatus(service.getServiceDescriptor().getName(), status);
    }
  }

  private ServerServiceDefinition metered(ServerServiceDefinition service) {
    return grpcMetrics == null ? service : grpcMetrics.intercept(service);
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  /**
   * Health NOT_SERVING, background jobs stopped (in reverse order), lifecycle watches ended
   * (UNAVAILABLE: they never finish on their own), no new calls, drain in-flight calls up to
   * {@code grace}.
   */
  public void stop(Duration grace) throws InterruptedException {
    synchronized (this) {
      stopping = true;
      health.enterTerminalState();
    }
    jobs.stop();
    vault.lifecycle().events().close();
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    callExecutors.close();
  }

  /** The background jobs this server runs between {@link #start} and {@link #stop}. */
  public List<BackgroundJob> backgroundJobs() {
    return jobs.jobs();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Builder of a {@link CofferServer}, in the style of grpc-java's {@link ServerBuilder}:
   * the transport is required, every other part is optional, named, and has the default
   * its method states. No part accepts null; leave a part out to keep its default.
   */
  public static final class Builder {
    private final Vault vault;
    private ServerBuilder<?> transport;
    private Clock clock = Clock.systemUTC();
    private int maxInboundBytes = ServerConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES;
    private CofferMetrics metrics; // none until set
    private CertificateIdentity clientCertificates; // none until set
    private AssertionRules assertionRules = new AssertionRules(List.of(),
        Duration.ofSeconds(ServerConfig.DEFAULT_ASSERTION_MAX_LIFETIME_SECONDS),
        Duration.ofSeconds(ServerConfig.DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS));
    private List<BackgroundJob> backgroundJobs;
    private final List<BackgroundJob> addedJobs = new ArrayList<>();

    private Builder(Vault vault) {
      this.vault = Objects.requireNonNull(vault, "vault");
      this.backgroundJobs = vault.backgroundJobs();
    }

    /**
     * Required: the gRPC server builder the services are added to (Netty with its address
     * and credentials in production, in-process in tests). It is consumed by {@link #build}.
     */
    public Builder transport(ServerBuilder<?> transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** The clock of call deadlines and timestamps. Default: {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The largest request accepted, in bytes; a larger one is RESOURCE_EXHAUSTED. Default:
     * {@link ServerConfig#DEFAULT_MAX_INBOUND_MESSAGE_BYTES}.
     */
    public Builder maxInboundBytes(int maxInboundBytes) {
      if (maxInboundBytes < 1) {
        throw new IllegalArgumentException("maxInboundBytes must be at least 1");
      }
      this.maxInboundBytes = maxInboundBytes;
      return this;
    }

    /**
     * Prometheus metrics: every service counted and timed, and the statistics sweep run
     * while the server does. Default: no metrics.
     */
    public Builder metrics(CofferMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * How verified client certificates (mutual TLS) map to principals, see
     * {@link AuthInterceptor}. Default: none, bearer tokens only.
     */
    public Builder clientCertificates(CertificateIdentity clientCertificates) {
      this.clientCertificates = Objects.requireNonNull(clientCertificates,
          "clientCertificates");
      return this;
    }

    /**
     * What client assertions are checked against when a request names no audiences (server
     * flags {@code --assertion-*}). Default: no audiences, and the lifetime and skew
     * {@link ServerConfig} defaults to.
     */
    public Builder assertionRules(AssertionRules assertionRules) {
      this.assertionRules = Objects.requireNonNull(assertionRules, "assertionRules");
      return this;
    }

    /**
     * The vault's periodic jobs this server runs while it serves (the statistics sweep of
     * {@link #metrics} and {@link #addBackgroundJob} come on top). Default:
     * {@link Vault#backgroundJobs()}, all of them.
     */
    public Builder backgroundJobs(List<BackgroundJob> backgroundJobs) {
      this.backgroundJobs = List.copyOf(backgroundJobs);
      return this;
    }

    /** One more periodic job to run while the server does (e.g. the TLS reload). */
    public Builder addBackgroundJob(BackgroundJob job) {
      addedJobs.add(Objects.requireNonNull(job, "job"));
      return this;
    }

    /**
     * The server, not yet started (no thread runs until {@link CofferServer#start}).
     *
     * @throws IllegalStateException without a {@link #transport}
     */
    public CofferServer build() {
      if (transport == null) {
        throw new IllegalStateException("a CofferServer needs a transport");
      }
      return new CofferServer(this);
    }
  }
}
