package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.bench.BaselineServer;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import io.grpc.InsecureChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link CliTransport} carries calls, and once closed leaves no network thread behind: a JVM that
 * exits with a thread in a selector's native wait pauses before it ends.
 */
class CliTransportTest {

  @Test
  void carriesCalls_andClosingStopsEveryThreadItStarted() throws Exception {
    try (BaselineServer server = BaselineServer.start("127.0.0.1", 0)) {
      Set<Thread> started;
      try (CliTransport transport = new CliTransport()) {
        ClientConfig config =
            ClientConfig.builder()
                .address("127.0.0.1:" + server.port())
                .channelCredentials(InsecureChannelCredentials.create())
                .build();
        try (CofferClient a = transport.connect(config);
            CofferClient b = transport.connect(config)) {
          assertEquals(HealthCheckResponse.ServingStatus.SERVING,
              a.health().check(HealthCheckRequest.getDefaultInstance()).getStatus());
          assertEquals(HealthCheckResponse.ServingStatus.SERVING,
              b.health().check(HealthCheckRequest.getDefaultInstance()).getStatus());
        }
        started = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith(CliTransport.THREAD_NAME))
            .collect(Collectors.toSet());
        assertTrue(!started.isEmpty(), "the calls ran on the transport's own event loop");
      }
      for (Thread t : started) {
        // The loop's termination is signalled just before its thread returns: give it 5 s.
        t.join(5_000);
        assertTrue(!t.isAlive(), t.getName() + " outlived the transport");
      }
    }
  }

  @Test
  void closingATransportThatNeverConnected_isHarmless() {
    new CliTransport().close();
  }
}
