package dev.coffer.server.metrics;

import dev.coffer.server.CofferServer;
import dev.coffer.server.Vault;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.testing.InProcessCoffer;
import dev.coffer.server.testing.MutableClock;
import dev.coffer.server.testing.TestVault;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real vault opened with metrics (every decorator wired as in production) behind a real
 * in-process Coffer server with the gRPC metrics interceptor, bootstrapped, with a movable
 * clock. The server's statistics job runs once at start, then hourly: tests call
 * {@link #statistics()}{@code .refresh()}.
 */
@SuppressWarnings("try") // close() waits for the server to stop, so it may be interrupted
final class MeteredCoffer implements AutoCloseable {

  final MutableClock clock = new MutableClock(TestVault.START);
  final CofferMetrics metrics = CofferMetrics.create(Duration.ofHours(1));
  final Vault vault;
  final String adminToken;
  final ManagedChannel channel;
  private final CofferServer server;

  MeteredCoffer(Path dir) throws IOException {
    this(dir, 5);
  }

  MeteredCoffer(Path dir, long verifyFailuresPerMinute) throws IOException {
    this.vault = Vault.open(dir.resolve("db"), DevRootKeyFile.loadOrCreate(
        dir.resolve("root.json")), clock,
        dev.coffer.server.VaultSettings.defaults().withVerifyFailuresPerMinute(
            verifyFailuresPerMinute), metrics.vault());
    this.adminToken = vault.directory().bootstrap().bootstrapIfEmpty().map(Tokens.Issued::value)
        .map(v -> {
          try (v) {
            return v.reveal();
          }
        }).orElseThrow();
    String name = InProcessServerBuilder.generateName();
    this.server = CofferServer.builder(vault)
        .transport(InProcessServerBuilder.forName(name).directExecutor())
        .clock(clock).metrics(metrics).build().start();
    this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** A stub that authenticates with {@code token} and has a 10 s deadline. */
  <S extends AbstractStub<S>> S as(S stub, String token) {
    return stub.withInterceptors(InProcessCoffer.bearer(token))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** The server's statistics job (its period is an hour: refresh it by hand). */
  VaultStatistics statistics() {
    return metrics.statisticsJob().orElseThrow();
  }

  String scrape() {
    return metrics.scrape();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.stop(Duration.ofSeconds(1));
    vault.close();
  }
}
