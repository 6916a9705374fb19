package dev.coffer.server;

import dev.coffer.server.api.AccessGrpcService;
import dev.coffer.server.api.AdminGrpcService;
import dev.coffer.server.api.ApplicationGrpcService;
import dev.coffer.server.api.AuditGrpcService;
import dev.coffer.server.api.ClientAssertionGrpcService;
import dev.coffer.server.api.GrantGrpcService;
import dev.coffer.server.api.LeakReportGrpcService;
import dev.coffer.server.api.LifecycleGrpcService;
import dev.coffer.server.api.LocationGrpcService;
import dev.coffer.server.api.MalformedRequestGuard;
import dev.coffer.server.api.PageTokens;
import dev.coffer.server.api.PrincipalGrpcService;
import dev.coffer.server.api.ScopeGrpcService;
import dev.coffer.server.api.SecretGrpcService;
import dev.coffer.server.api.TenantGrpcService;
import dev.coffer.server.api.TokenGrpcService;
import dev.coffer.server.auth.AuthInterceptor;
import dev.coffer.server.auth.CertificateIdentity;
import dev.coffer.server.metrics.CofferMetrics;
import dev.coffer.server.metrics.GrpcServerMetrics;
import dev.coffer.server.metrics.ReadCacheMetrics;
import dev.coffer.server.metrics.VaultStatistics;
import dev.coffer.server.service.assertions.AssertionRules;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of a {@link Vault}: every Coffer service behind the authentication
 * interceptor, plus the standard health and reflection services. Takes any
 * {@link ServerBuilder}, so tests hand it an in-process builder (as grpc-java's
 * RouteGuideServer does). On {@link #stop} health turns NOT_SERVING first, then in-flight
 * calls drain for a grace period before the rest are cancelled. With {@link CofferMetrics},
 * every service (health and reflection too) is counted and timed by Micrometer's gRPC
 * interceptor, outermost, and the domain statistics job runs while the server does.
 */
public final class CofferServer {

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final CallExecutors callExecutors = new CallExecutors();
  private final Vault vault;
  private final GrpcServerMetrics grpcMetrics; // null without metrics
  private final VaultStatistics statistics; // null without metrics

  public CofferServer(ServerBuilder<?> builder, Vault vault, Clock clock, int maxInboundBytes) {
    this(builder, vault, clock, maxInboundBytes, null);
  }

  /** As above, with Prometheus metrics when {@code metrics} is not null. */
  public CofferServer(ServerBuilder<?> builder, Vault vault, Clock clock, int maxInboundBytes,
      CofferMetrics metrics) {
    this(builder, vault, clock, maxInboundBytes, metrics, null);
  }

  /**
   * As above; {@code clientCertificates} (null for none) maps verified client certificates
   * (mutual TLS) to principals, see {@link AuthInterceptor}.
   */
  public CofferServer(ServerBuilder<?> builder, Vault vault, Clock clock, int maxInboundBytes,
      CofferMetrics metrics, CertificateIdentity clientCertificates) {
    this(builder, vault, clock, maxInboundBytes, metrics, clientCertificates,
        AssertionRules.of(java.util.List.of()));
  }

  /**
   * As above; {@code assertionRules} are what client assertions are checked against when a
   * request names no audiences (server flags {@code --assertion-*}).
   */
  public CofferServer(ServerBuilder<?> builder, Vault vault, Clock clock, int maxInboundBytes,
      CofferMetrics metrics, CertificateIdentity clientCertificates,
      AssertionRules assertionRules) {
    this.vault = vault;
    UnreadableMessageLog.install(clock);
    this.grpcMetrics = metrics == null ? null : metrics.grpc();
    this.statistics = metrics == null ? null : metrics.statistics(vault.rocks(), clock);
    if (metrics != null) {
      new ReadCacheMetrics(vault.readCache()).bindTo(metrics.registry());
    }
    AuthInterceptor auth = new AuthInterceptor(vault.tokens(), vault.authFailures(),
        clientCertificates);
    List<BindableService> services = List.of(
        new TenantGrpcService(vault.tenants()),
        new PrincipalGrpcService(vault.principals()),
        new TokenGrpcService(vault.tokens()),
        new LocationGrpcService(vault.locations()),
        new ApplicationGrpcService(vault.applications(), clock),
        new SecretGrpcService(vault.secrets(), vault.reader(), vault.verifier(),
            vault.rotator(), vault.credentials(), vault.quarantine(), clock,
            callExecutors.blocking()),
        new ScopeGrpcService(vault.scopes()),
        new LeakReportGrpcService(vault.leakReports()),
        new ClientAssertionGrpcService(vault.clientAssertions(), vault.jwks(),
            assertionRules),
        new AccessGrpcService(vault.accessRequests(), clock),
        new GrantGrpcService(vault.grants(), clock),
        new AuditGrpcService(vault.auditTrail()),
        new LifecycleGrpcService(vault.lifecycleEvents(), vault.tokens()),
        new AdminGrpcService(vault.admin()));
    PageTokens pageTokens = new PageTokens(vault.keyring().pageTokens());
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
    health.setStatus("", ServingStatus.SERVING);
    for (var service : server.getServices()) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    vault.lifecycleMonitor().start();
    vault.rewrapJob().start(java.time.Duration.ofSeconds(2));
    vault.clientAssertions().start();
    if (statistics != null) {
      statistics.start();
    }
    return this;
  }

  private ServerServiceDefinition metered(ServerServiceDefinition service) {
    return grpcMetrics == null ? service : grpcMetrics.intercept(service);
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  /**
   * Health NOT_SERVING, lifecycle watches ended (UNAVAILABLE: they never finish on their
   * own), no new calls, drain in-flight calls up to {@code grace}.
   */
  public void stop(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    vault.lifecycleMonitor().close();
    vault.lifecycleEvents().close();
    vault.clientAssertions().close();
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    callExecutors.close();
    if (statistics != null) {
      statistics.close();
    }
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
