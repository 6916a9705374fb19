package dev.coffer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged writes survive SIGKILL: 8 concurrent clients create vaulted secrets against
 * the server jar on 127.0.0.1; after a chosen number of acknowledgements the server is
 * killed with SIGKILL, restarted on the same data dir, and every acknowledged secret must
 * exist and reveal the value its create response showed. Three kill points.
 */
class DurabilityEndToEndIT {

  private static final int WRITERS = 8;

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void everyAcknowledgedWrite_survivesSigkill() throws Exception {
    Path data = dir.resolve("data");
    Path tokenFile = dir.resolve("admin.token");
    String clientId;
    try (ServerProcess first = ServerProcess.start(data, dir, "boot", "--bootstrap-token-file",
        tokenFile.toString()); CofferClient c = client(first, Files.readString(tokenFile).trim())) {
      clientId = c.applications().createApplication(CreateApplicationRequest.newBuilder()
          .setClientName("durability").setEnvironment("test")
          .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getClientId();
      first.stop();
    }
    String admin = Files.readString(tokenFile).trim();
    Map<String, String> acked = new ConcurrentHashMap<>();
    int[] killPoints = {150, 400, 800};
    for (int round = 0; round < killPoints.length; round++) {
      int ackedBefore = acked.size();
      try (ServerProcess server = ServerProcess.start(data, dir, "load" + round);
          CofferClient c = client(server, admin)) {
        load(c, clientId, acked, ackedBefore + killPoints[round]);
        server.kill();
      }
      assertTrue(acked.size() >= ackedBefore + killPoints[round], "the load reached its kill point");
    }
    try (ServerProcess server = ServerProcess.start(data, dir, "check");
        CofferClient c = client(server, admin)) {
      for (Map.Entry<String, String> e : acked.entrySet()) {
        assertEquals("secrets/" + e.getKey(), c.secrets().getSecret(GetSecretRequest
            .newBuilder().setName("secrets/" + e.getKey()).build()).getName());
        assertEquals(e.getValue(), c.secrets().revealSecret(RevealSecretRequest.newBuilder()
            .setName("secrets/" + e.getKey()).build()).getValue(),
            "an acknowledged vaulted value decrypts after the kill");
      }
      server.stop();
    }
  }

  /** Creates secrets from {@link #WRITERS} threads until {@code target} acks (or 90 s). */
  private static void load(CofferClient c, String clientId, Map<String, String> acked,
      int target) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    for (int w = 0; w < WRITERS; w++) {
      pool.submit(() -> {
        while (!stop.get() && acked.size() < target && Instant.now().isBefore(deadline)) {
          try {
            CreateSecretResponse r = c.secrets().createSecret(CreateSecretRequest.newBuilder()
                .setParent("applications/" + clientId).setDisplayName("d").setLocation("/")
                .setVaulted(true).setPreapproveOwner(true).build());
            acked.put(r.getSecret().getSecretId(), r.getValue());
          } catch (StatusRuntimeException e) {
            return;
          }
        }
      });
    }
    while (acked.size() < target && Instant.now().isBefore(deadline)) {
      Thread.sleep(5);
    }
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(0, TimeUnit.SECONDS);
  }

  private static CofferClient client(ServerProcess server, String token) {
    return ClientConfig.builder().address(server.address()).tokenSupplier(() -> token)
        .deadline(Duration.ofSeconds(20)).connect();
  }
}
