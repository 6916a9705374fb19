package dev.coffer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.GetGrantRequest;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CofferClientTest {

  private FakeCofferServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeCofferServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CofferClient client(String token, Duration deadline) {
    return server.connect(
        ClientConfig.builder().tokenSupplier(() -> token).deadline(deadline).build());
  }

  @Test
  void everyCall_carriesTheBearerTokenAndTheConfiguredDeadline() {
    server.answer = req -> Secret.newBuilder().setName("secrets/s1").build();
    try (CofferClient client = client("cfr_at_token1", Duration.ofSeconds(7))) {
      client.secrets().getSecret(GetSecretRequest.newBuilder().setName("secrets/s1").build());
    }
    assertEquals(
        "Bearer cfr_at_token1", server.headers.get(0).get(BearerTokenCredentials.AUTHORIZATION));
    long remainingMs = server.deadlines.get(0).timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(remainingMs > 5_000 && remainingMs <= 7_000, "deadline left: " + remainingMs);
  }

  @Test
  void noToken_sendsNoAuthorizationHeader() {
    server.answer = req -> Secret.getDefaultInstance();
    try (CofferClient client = client(null, Duration.ofSeconds(5))) {
      client.secrets().getSecret(GetSecretRequest.newBuilder().setName("secrets/s1").build());
    }
    assertNull(server.headers.get(0).get(BearerTokenCredentials.AUTHORIZATION));
  }

  @Test
  void tokenSupplier_isAskedOnEveryCall() {
    AtomicInteger n = new AtomicInteger();
    server.answer = req -> Secret.getDefaultInstance();
    ClientConfig config =
        ClientConfig.builder().tokenSupplier(() -> "t" + n.incrementAndGet()).build();
    try (CofferClient client = server.connect(config)) {
      client.secrets().getSecret(GetSecretRequest.getDefaultInstance());
      client.secrets().getSecret(GetSecretRequest.getDefaultInstance());
    }
    assertEquals("Bearer t2", server.headers.get(1).get(BearerTokenCredentials.AUTHORIZATION));
  }

  @Test
  void unavailableRead_isRetriedByTheChannelUntilItSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    server.answer =
        req ->
            attempts.incrementAndGet() < 3
                ? Status.UNAVAILABLE.asRuntimeException()
                : Secret.newBuilder().setName("secrets/s1").build();
    try (CofferClient client = client("t", Duration.ofSeconds(10))) {
      Secret s = client.secrets().getSecret(GetSecretRequest.newBuilder().setName("secrets/s1").build());
      assertEquals("secrets/s1", s.getName());
    }
    assertEquals(3, attempts.get());
  }

  @Test
  void unavailableRead_isTriedFourTimesAtMost() {
    server.answer = req -> Status.UNAVAILABLE.asRuntimeException();
    try (CofferClient client = client("t", Duration.ofSeconds(10))) {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> client.secrets().getSecret(GetSecretRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
    assertEquals(RetryServiceConfig.MAX_ATTEMPTS, server.requests.size());
  }

  @Test
  void withRetriesOff_anUnavailableReadIsTriedOnce() {
    server.answer = req -> Status.UNAVAILABLE.asRuntimeException();
    ClientConfig config = ClientConfig.builder().tokenSupplier(() -> "t")
        .build().toBuilder().retries(false).build();
    try (CofferClient client = server.connect(config)) {
      assertThrows(StatusRuntimeException.class,
          () -> client.secrets().getSecret(GetSecretRequest.getDefaultInstance()));
    }
    assertEquals(1, server.requests.size());
  }

  @Test
  void toBuilder_keepsEverySetting() {
    ClientConfig config = ClientConfig.builder().address("10.0.0.1:1")
        .deadline(Duration.ofSeconds(3)).tokenSupplier(() -> "tk").retries(false).build();
    ClientConfig copy = config.toBuilder().build();
    assertEquals("10.0.0.1:1", copy.address());
    assertEquals(Duration.ofSeconds(3), copy.deadline());
    assertEquals("tk", copy.tokenSupplier().get());
    assertFalse(copy.retries());
    assertTrue(ClientConfig.builder().build().retries());
  }

  @Test
  void stubsOnTheRawChannel_getTheDeadlineButNoToken() {
    server.answer = req -> Secret.getDefaultInstance();
    try (CofferClient client = client("cfr_at_token1", Duration.ofSeconds(7))) {
      dev.coffer.api.v1.SecretServiceGrpc.newBlockingStub(client.channel())
          .getSecret(GetSecretRequest.getDefaultInstance());
    }
    assertNull(server.headers.get(0).get(BearerTokenCredentials.AUTHORIZATION));
    assertTrue(server.deadlines.get(0).timeRemaining(TimeUnit.MILLISECONDS) <= 7_000);
  }

  @Test
  void otherErrors_areNotRetried() {
    server.answer = req -> Status.NOT_FOUND.asRuntimeException();
    try (CofferClient client = client("t", Duration.ofSeconds(10))) {
      assertThrows(
          StatusRuntimeException.class,
          () -> client.secrets().getSecret(GetSecretRequest.getDefaultInstance()));
    }
    assertEquals(1, server.requests.size());
  }

  @Test
  void unavailableCreate_isNotRetried_soNoSecondCredentialIsMinted() {
    server.answer = req -> Status.UNAVAILABLE.asRuntimeException();
    try (CofferClient client = client("t", Duration.ofSeconds(10))) {
      assertThrows(
          StatusRuntimeException.class,
          () -> client.secrets().createSecret(CreateSecretRequest.getDefaultInstance()));
    }
    assertEquals(1, server.requests.size());
    assertTrue(server.requests.get(0) instanceof CreateSecretRequest);
  }

  @Test
  void unavailableRotate_isNotRetried_soNoSecondValueIsMinted() {
    server.answer = req -> Status.UNAVAILABLE.asRuntimeException();
    try (CofferClient client = client("t", Duration.ofSeconds(10))) {
      assertThrows(
          StatusRuntimeException.class,
          () -> client.secrets().rotateSecret(RotateSecretRequest.getDefaultInstance()));
    }
    assertEquals(1, server.requests.size());
  }

  @Test
  void unavailableGrantRead_isRetried() {
    AtomicInteger attempts = new AtomicInteger();
    server.answer =
        req ->
            attempts.incrementAndGet() < 2
                ? Status.UNAVAILABLE.asRuntimeException()
                : Grant.newBuilder().setName("grants/g1").build();
    try (CofferClient client = client("t", Duration.ofSeconds(10))) {
      assertEquals(
          "grants/g1",
          client.grants().getGrant(GetGrantRequest.newBuilder().setName("grants/g1").build()).getName());
    }
    assertEquals(2, attempts.get());
  }

  @Test
  void retryConfig_leavesOutEveryCallThatMintsOrDecides() {
    var methods =
        RetryServiceConfig.retryableMethodNames().stream().map(n -> n.get("method")).toList();
    assertTrue(methods.containsAll(List.of("ListAccessRequests", "GetGrant", "RevokeGrant")), methods.toString());
    for (String never :
        List.of(
            "RotateSecret", "StoreCredential", "CreateGrant", "CreateAccessRequest",
            "ApproveAccessRequest", "DenyAccessRequest", "CancelAccessRequest", "Login")) {
      assertFalse(methods.contains(never), never);
    }
  }

  @Test
  void retryConfig_namesTheSafeMethods_ofEveryServiceButWatchAndLeakReports() {
    java.util.Set<String> expected =
        java.util.stream.Stream.of(
                dev.coffer.api.v1.SecretServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.ApplicationServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.LocationServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.TenantServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.PrincipalServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.TokenServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.AccessServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.GrantServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.AuditServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.AdminServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.ScopeServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.ClientAssertionServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.TrustedIssuerServiceGrpc.getServiceDescriptor(),
                dev.coffer.api.v1.LoginServiceGrpc.getServiceDescriptor())
            .flatMap(service -> service.getMethods().stream())
            .filter(m -> RetryServiceConfig.isSafeToRepeat(m.getBareMethodName()))
            .map(m -> m.getServiceName() + "/" + m.getBareMethodName())
            .collect(java.util.stream.Collectors.toSet());
    java.util.Set<String> named =
        RetryServiceConfig.retryableMethodNames().stream()
            .map(n -> n.get("service") + "/" + n.get("method"))
            .collect(java.util.stream.Collectors.toSet());
    assertEquals(expected, named);
    assertTrue(named.size() > 25, named.toString());
  }

  @Test
  void retryConfig_coversReadsButNoCreateOrIssue() {
    var names = RetryServiceConfig.retryableMethodNames();
    assertTrue(names.stream().anyMatch(n -> n.get("method").equals("GetSecret")));
    assertTrue(names.stream().anyMatch(n -> n.get("method").equals("VerifySecret")));
    assertFalse(names.stream().anyMatch(n -> ((String) n.get("method")).startsWith("Create")));
    assertFalse(names.stream().anyMatch(n -> n.get("method").equals("IssueToken")));
  }

  @Test
  void reveal_sendsThePrefixedNameAndReturnsTheValue() {
    server.answer =
        req -> RevealSecretResponse.newBuilder().setSecret("secrets/s9").setValue("cfr_cs_v").build();
    try (CofferClient client = client("t", Duration.ofSeconds(5))) {
      assertEquals("cfr_cs_v", client.reveal("s9"));
    }
    assertEquals("secrets/s9", server.last(RevealSecretRequest.class).getName());
  }

  @Test
  void verify_returnsTheServersMatch() {
    server.answer = req -> VerifySecretResponse.newBuilder().setMatch(true).build();
    try (CofferClient client = client("t", Duration.ofSeconds(5))) {
      assertTrue(client.verify("client1", "cfr_cs_presented"));
      server.answer = req -> VerifySecretResponse.newBuilder().setMatch(false).build();
      assertFalse(client.verify("client1", "cfr_cs_other"));
    }
    VerifySecretRequest sent = server.last(VerifySecretRequest.class);
    assertEquals("client1", sent.getClientId());
    assertEquals("cfr_cs_other", sent.getValue());
  }

  @Test
  void configAndCredentials_neverShowTheToken() {
    ClientConfig config =
        ClientConfig.builder().tokenSupplier(() -> "cfr_at_SECRET").build();
    assertFalse(config.toString().contains("cfr_at_SECRET"));
    assertFalse(new BearerTokenCredentials(() -> "cfr_at_SECRET").toString().contains("SECRET"));
    try (CofferClient client = server.connect(config)) {
      assertFalse(client.toString().contains("SECRET"));
    }
  }

  @Test
  void aFailingTokenSupplier_failsTheCallAsUnauthenticated_withoutReachingTheServer() {
    ClientConfig config =
        ClientConfig.builder()
            .tokenSupplier(
                () -> {
                  throw new IllegalStateException("vault agent down");
                })
            .build();
    try (CofferClient client = server.connect(config)) {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> client.secrets().createSecret(CreateSecretRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void aDeadlineSetByTheCaller_wins() {
    server.answer = req -> CreateSecretResponse.getDefaultInstance();
    try (CofferClient client = client("t", Duration.ofSeconds(30))) {
      client
          .secrets()
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .createSecret(CreateSecretRequest.getDefaultInstance());
    }
    assertNotNull(server.deadlines.get(0));
    assertTrue(server.deadlines.get(0).timeRemaining(TimeUnit.MILLISECONDS) <= 2_000);
  }
}
