package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.CofferExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Micrometer's gRPC interceptor, wired in CofferServer, seen through an in-process server. */
class GrpcServerMetricsTest {

  @RegisterExtension
  final CofferExtension fixture = MeteredServer.extension(5);
  MeteredServer coffer;

  @BeforeEach
  void setUp() {
    coffer = new MeteredServer(fixture);
  }

  long calls(String service, String method, String statusCode) {
    Timer timer = coffer.metrics.registry().find(GrpcServerMetrics.DURATION)
        .tags("service", service, "method", method, "status_code", statusCode).timer();
    return timer == null ? 0 : timer.count();
  }

  /**
   * The call's count once it reaches {@code expected} (or after 5 s): the server records a
   * call as it closes it, which can be just after the client has the response.
   */
  long callsOnceRecorded(long expected, String service, String method, String statusCode)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long seen = calls(service, method, statusCode);
    while (seen < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
      seen = calls(service, method, statusCode);
    }
    return seen;
  }

  @Test
  void everyMethodStartsWithAnOkSeriesAtZero() {
    assertEquals(0, calls("coffer.v1.PrincipalService", "WhoAmI", "OK"));
    assertTrue(coffer.metrics.registry().find(GrpcServerMetrics.DURATION)
        .tags("service", "coffer.v1.SecretService", "method", "RevealSecret", "status_code", "OK")
        .timer() != null, "pre-registered");
  }

  @Test
  void requestCounter_incrementsWithTheStatusOfEachCall() throws InterruptedException {
    var principals = coffer.as(PrincipalServiceGrpc.newBlockingStub(coffer.channel),
        coffer.adminToken);
    principals.whoAmI(WhoAmIRequest.getDefaultInstance());
    principals.whoAmI(WhoAmIRequest.getDefaultInstance());
    var stranger = coffer.as(PrincipalServiceGrpc.newBlockingStub(coffer.channel),
        "cfr_at_not_a_real_token");
    assertThrows(StatusRuntimeException.class,
        () -> stranger.whoAmI(WhoAmIRequest.getDefaultInstance()));
    var secrets = coffer.as(SecretServiceGrpc.newBlockingStub(coffer.channel), coffer.adminToken);
    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
        () -> secrets.getSecret(GetSecretRequest.newBuilder().setName("secrets/sec_nothere")
            .build()));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());

    assertEquals(2, callsOnceRecorded(2, "coffer.v1.PrincipalService", "WhoAmI", "OK"));
    assertEquals(1, callsOnceRecorded(1, "coffer.v1.PrincipalService", "WhoAmI",
        "UNAUTHENTICATED"), "refused by authentication, still counted");
    assertEquals(1, callsOnceRecorded(1, "coffer.v1.SecretService", "GetSecret", "NOT_FOUND"));
    assertEquals(0, calls("coffer.v1.SecretService", "GetSecret", "OK"));
  }

  @Test
  void latencyIsAHistogramWithBuckets_inTheExposition() throws InterruptedException {
    coffer.as(PrincipalServiceGrpc.newBlockingStub(coffer.channel), coffer.adminToken)
        .whoAmI(WhoAmIRequest.getDefaultInstance());
    callsOnceRecorded(1, "coffer.v1.PrincipalService", "WhoAmI", "OK");

    String text = coffer.scrape();

    assertTrue(text.contains("# TYPE grpc_server_processing_duration_seconds histogram"), text);
    for (String le : new String[] {"0.001", "0.01", "0.1", "1.0", "10.0", "+Inf"}) {
      assertTrue(text.contains("grpc_server_processing_duration_seconds_bucket{method=\"WhoAmI\","
          + "method_type=\"UNARY\",service=\"coffer.v1.PrincipalService\",status_code=\"OK\","
          + "le=\"" + le + "\"}"), "bucket le=" + le);
    }
    assertTrue(text.contains("grpc_server_processing_duration_seconds_count{method=\"WhoAmI\","
        + "method_type=\"UNARY\",service=\"coffer.v1.PrincipalService\",status_code=\"OK\"} 1"));
  }

  @Test
  void healthChecks_areCountedToo() throws InterruptedException {
    HealthGrpc.newBlockingStub(coffer.channel).check(HealthCheckRequest.getDefaultInstance());

    assertEquals(1, callsOnceRecorded(1, "grpc.health.v1.Health", "Check", "OK"));
  }
}
