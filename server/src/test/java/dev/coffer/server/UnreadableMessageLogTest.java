package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestVault;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Oversized requests over the network: grpc-netty's stack trace per call becomes one line
 * per interval, with a count of the ones not written.
 */
class UnreadableMessageLogTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.loopbackServer().build();

  /** Captures what reaches a logger's handlers (after its filter). */
  private static final class Capture extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      if (getFilter() == null || getFilter().isLoggable(record)) {
        records.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void oversizedRequests_logOneLinePerInterval_withoutAStackTrace() throws Exception {
    Logger grpc = Logger.getLogger(UnreadableMessageLog.GRPC_LOGGER);
    Logger ours = Logger.getLogger(UnreadableMessageLog.class.getName());
    Capture grpcLines = new Capture();
    Capture ourLines = new Capture();
    grpc.addHandler(grpcLines);
    ours.addHandler(ourLines);
    try {
      TestVault t = fixture.vault();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
          fixture.loopback().port()).usePlaintext().build();
      try {
        CreateSecretRequest huge = CreateSecretRequest.newBuilder()
            .setParent("applications/x").setDisplayName("n")
            .setDescription("d".repeat(ServerConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES + 1))
            .build();
        var stub = SecretServiceGrpc.newBlockingStub(channel)
            .withInterceptors(InProcessServer.bearer(t.adminToken));
        for (int i = 0; i < 3; i++) {
          GrpcAssertions.assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> stub
              .withDeadlineAfter(10, TimeUnit.SECONDS).createSecret(huge));
        }
        t.clock.advance(Duration.ofSeconds(UnreadableMessageLog.INTERVAL_SECONDS));
        GrpcAssertions.assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> stub
            .withDeadlineAfter(10, TimeUnit.SECONDS).createSecret(huge));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      grpc.removeHandler(grpcLines);
      ours.removeHandler(ourLines);
    }
    assertEquals(List.of(), grpcLines.records.stream()
        .filter(r -> UnreadableMessageLog.GRPC_MESSAGE.equals(r.getMessage())).toList(),
        "grpc-netty's stack traces are not written");
    assertEquals(2, ourLines.records.size(), "one line per interval: " + ourLines.records);
    for (LogRecord r : ourLines.records) {
      assertEquals(null, r.getThrown());
      assertTrue(r.getMessage().contains("RESOURCE_EXHAUSTED"), r.getMessage());
    }
    assertTrue(ourLines.records.get(1).getMessage().contains("2 more like it suppressed"),
        ourLines.records.get(1).getMessage());
  }
}
