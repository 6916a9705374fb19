package dev.coffer.server.metrics;

import dev.coffer.server.Vault;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The metrics tests' view of a {@link CofferExtension} built by {@link #extension}: a real
 * vault opened with metrics (every decorator wired as in production) behind a real in-process
 * Coffer server with the gRPC metrics interceptor, bootstrapped, with a movable clock. The
 * server's statistics job runs once at start, then hourly: tests call
 * {@link #statistics()}{@code .refresh()}. The extension owns and closes everything.
 */
final class MeteredServer {

  final MutableClock clock;
  final CofferMetrics metrics;
  final Vault vault;
  final String adminToken;
  final ManagedChannel channel;

  /** The fixture: metrics whose statistics job runs hourly, and this verify failure budget. */
  static CofferExtension extension(long verifyFailuresPerMinute) {
    return CofferExtension.inProcessServer().verifyFailuresPerMinute(verifyFailuresPerMinute)
        .metrics(() -> CofferMetrics.create(Duration.ofHours(1))).build();
  }

  MeteredServer(CofferExtension fixture) {
    this.clock = fixture.clock();
    this.metrics = fixture.metrics();
    this.vault = fixture.vault().vault;
    this.adminToken = fixture.adminToken();
    this.channel = fixture.coffer().channel;
  }

  /** A stub that authenticates with {@code token} and has a 10 s deadline. */
  <S extends AbstractStub<S>> S as(S stub, String token) {
    return stub.withInterceptors(InProcessServer.bearer(token))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** The server's statistics job (its period is an hour: refresh it by hand). */
  VaultStatistics statistics() {
    return metrics.statisticsJob().orElseThrow();
  }

  String scrape() {
    return metrics.scrape();
  }
}
