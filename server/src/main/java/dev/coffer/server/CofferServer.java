package dev.coffer.server;

import dev.coffer.server.api.AccessGrpcService;
import dev.coffer.server.api.ApplicationsGrpcService;
import dev.coffer.server.api.GrantsGrpcService;
import dev.coffer.server.api.LocationsGrpcService;
import dev.coffer.server.api.MalformedRequestGuard;
import dev.coffer.server.api.PrincipalsGrpcService;
import dev.coffer.server.api.SecretsGrpcService;
import dev.coffer.server.api.TenantsGrpcService;
import dev.coffer.server.api.TokensGrpcService;
import dev.coffer.server.auth.AuthInterceptor;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
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
 * calls drain for a grace period before the rest are cancelled.
 */
public final class CofferServer {

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();

  public CofferServer(ServerBuilder<?> builder, Vault vault, Clock clock, int maxInboundBytes) {
    AuthInterceptor auth = new AuthInterceptor(vault.tokens());
    List<BindableService> services = List.of(
        new TenantsGrpcService(vault.tenants()),
        new PrincipalsGrpcService(vault.principals()),
        new TokensGrpcService(vault.tokens()),
        new LocationsGrpcService(vault.locations()),
        new ApplicationsGrpcService(vault.applications(), clock),
        new SecretsGrpcService(vault.secrets(), vault.reader(), vault.verifier(),
            vault.rotator(), vault.credentials(), clock),
        new AccessGrpcService(vault.accessRequests(), clock),
        new GrantsGrpcService(vault.grants(), clock));
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(
          MalformedRequestGuard.guard(service.bindService()), auth));
    }
    builder.addService(health.getHealthService());
    builder.addService(ProtoReflectionServiceV1.newInstance());
    builder.maxInboundMessageSize(maxInboundBytes);
    this.server = builder.build();
  }

  public CofferServer start() throws IOException {
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    for (var service : server.getServices()) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  /** Health NOT_SERVING, no new calls, drain in-flight calls up to {@code grace}. */
  public void stop(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
