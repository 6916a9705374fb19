package dev.coffer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginResponse;
import dev.coffer.api.v1.LoginServiceGrpc;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.SecretServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TokenFileLogin} against the in-process {@link FakeCofferServer}: what the client sends
 * (Login without a bearer, then the exchanged token), and when it exchanges again, measured with
 * a clock the test moves by hand.
 */
@Timeout(60)
class TokenFileLoginTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String JWT_1 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbmUifQ.c2lnLW9uZQ";
  private static final String JWT_2 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0d28ifQ.c2lnLXR3bw";

  @TempDir Path dir;
  private Path file;
  private FakeCofferServer server;
  private final HandClock clock = new HandClock(T0);
  private final AtomicInteger logins = new AtomicInteger();
  /** What Login answers next: a Throwable fails it. */
  private volatile Object loginAnswer;
  private volatile Status revealFailure;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("token");
    Files.writeString(file, JWT_1 + "\n");
    server = new FakeCofferServer();
    server.answer = this::answer;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Object answer(Message request) {
    if (request instanceof LoginRequest) {
      int n = logins.incrementAndGet();
      return loginAnswer != null ? loginAnswer : loginResponse("cfr_at_token" + n, "tok_" + n,
          Duration.ofHours(1));
    }
    if (revealFailure != null) {
      Status s = revealFailure;
      revealFailure = null;
      return s.asRuntimeException();
    }
    return RevealSecretResponse.newBuilder().setValue("v").build();
  }

  private LoginResponse loginResponse(String value, String tokenId, Duration lifetime) {
    Instant now = clock.instant();
    return LoginResponse.newBuilder()
        .setAccessToken(value)
        .setToken(AccessToken.newBuilder().setTokenId(tokenId)
            .setCreateTime(ts(now)).setExpireTime(ts(now.plus(lifetime))))
        .build();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private TokenFileLogin.Builder source() {
    return TokenFileLogin.builder(file, "acme").clock(clock).fileCheckInterval(Duration.ZERO)
        .description("pod api-7f9c");
  }

  private CofferClient client(TokenFileLogin source) {
    return server.connect(ClientConfig.builder().tokenFileLogin(source).build());
  }

  /** The bearer of each request the server saw, in order ({@code null} for none). */
  private List<String> bearers() {
    List<String> out = new ArrayList<>();
    server.headers.forEach(h -> out.add(h.get(BearerTokenCredentials.AUTHORIZATION)));
    return out;
  }

  private List<String> kinds() {
    return server.requests.stream().map(r -> r.getClass().getSimpleName()).toList();
  }

  @Test
  void firstCall_exchangesTheFilesJwt_withoutABearer_thenCarriesTheCofferToken() {
    try (CofferClient client = client(source().ttl(Duration.ofMinutes(30)).build())) {
      client.reveal("s1");
    }
    assertEquals(List.of("LoginRequest", "RevealSecretRequest"), kinds());
    assertEquals(java.util.Arrays.asList(null, "Bearer cfr_at_token1"), bearers());
    LoginRequest login = (LoginRequest) server.requests.get(0);
    assertEquals("acme", login.getTenantId());
    assertEquals(JWT_1, login.getSubjectToken());
    assertEquals(TokenFileLogin.TOKEN_TYPE_JWT, login.getSubjectTokenType());
    assertEquals(1800, login.getTtl().getSeconds());
    assertEquals("pod api-7f9c", login.getDescription());
  }

  @Test
  void theToken_isReusedUntil80PercentOfItsLifetime_thenRefreshedWhileTheOldOneStillServes() {
    try (CofferClient client = client(source().build())) {
      Direct direct = new Direct(client, source().build());
      direct.reveal();
      clock.advance(Duration.ofMinutes(47));
      direct.reveal();
      assertEquals(1, logins.get());
      clock.advance(Duration.ofMinutes(2)); // 49 of 60 minutes
      direct.reveal();
      direct.awaitNoExchange();
      direct.reveal();
    }
    assertEquals(2, logins.get());
    List<String> revealBearers = new ArrayList<>();
    for (int i = 0; i < server.requests.size(); i++) {
      if (server.requests.get(i) instanceof RevealSecretRequest) {
        revealBearers.add(bearers().get(i));
      }
    }
    assertEquals(List.of("Bearer cfr_at_token1", "Bearer cfr_at_token1", "Bearer cfr_at_token1",
        "Bearer cfr_at_token2"), revealBearers);
  }

  @Test
  void aFailedBackgroundRefresh_keepsTheValidToken_andTriesAgainAfterThePause() {
    try (CofferClient client = client(source().build())) {
      Direct direct = new Direct(client, source().retryAfter(Duration.ofSeconds(5)).build());
      direct.reveal();
      clock.advance(Duration.ofMinutes(50));
      loginAnswer = Status.UNAVAILABLE.withDescription("down").asRuntimeException();
      direct.reveal(); // served by token1; the refresh fails
      direct.awaitNoExchange();
      direct.reveal(); // within the pause: no Login
      direct.awaitNoExchange();
      assertEquals(2, logins.get());
      loginAnswer = null;
      clock.advance(Duration.ofSeconds(5));
      direct.reveal(); // token1 still; the refresh succeeds
      direct.awaitNoExchange();
      direct.reveal();
    }
    assertEquals(3, logins.get());
    assertEquals("Bearer cfr_at_token3", bearers().get(bearers().size() - 1));
  }

  /**
   * Credentials built straight from a source over the client's channel, so a test can wait for
   * a background exchange to finish (it runs on the call's executor, maybe on another thread).
   */
  private static final class Direct {
    final TokenFileCredentials credentials;
    final SecretServiceGrpc.SecretServiceBlockingStub secrets;

    Direct(CofferClient client, TokenFileLogin source) {
      credentials = source.credentials(LoginServiceGrpc.newBlockingStub(client.channel()));
      secrets = SecretServiceGrpc.newBlockingStub(client.channel()).withCallCredentials(credentials);
    }

    void reveal() {
      secrets.revealSecret(RevealSecretRequest.newBuilder().setName("secrets/s1").build());
    }

    /** Bounded: 20 s at most. */
    void awaitNoExchange() {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (credentials.exchanging() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertFalse(credentials.exchanging(), "the background exchange did not finish");
    }
  }

  @Test
  void anExpiredToken_makesTheNextCallWaitForANewExchange() {
    try (CofferClient client = client(source().build())) {
      client.reveal("s1");
      clock.advance(Duration.ofMinutes(61));
      client.reveal("s1");
    }
    assertEquals(List.of("LoginRequest", "RevealSecretRequest", "LoginRequest",
        "RevealSecretRequest"), kinds());
    assertEquals("Bearer cfr_at_token2", bearers().get(3));
  }

  @Test
  void aChangedFile_isExchangedBeforeTheNextCall() throws Exception {
    try (CofferClient client = client(source().build())) {
      client.reveal("s1");
      client.reveal("s1");
      Files.writeString(file, JWT_2);
      client.reveal("s1");
    }
    assertEquals(List.of("LoginRequest", "RevealSecretRequest", "RevealSecretRequest",
        "LoginRequest", "RevealSecretRequest"), kinds());
    assertEquals(JWT_2, ((LoginRequest) server.requests.get(3)).getSubjectToken());
    assertEquals("Bearer cfr_at_token2", bearers().get(4));
  }

  @Test
  void theFile_isReadAgainOnlyOncePerCheckInterval() throws Exception {
    try (CofferClient client = client(source().fileCheckInterval(Duration.ofSeconds(10)).build())) {
      client.reveal("s1");
      Files.writeString(file, JWT_2);
      clock.advance(Duration.ofSeconds(9));
      client.reveal("s1");
      assertEquals(1, logins.get());
      clock.advance(Duration.ofSeconds(1));
      client.reveal("s1");
      assertEquals(2, logins.get());
    }
  }

  @Test
  void unauthenticated_retiresTheToken_soTheNextCallExchangesAtOnce() {
    try (CofferClient client = client(source().build())) {
      client.reveal("s1");
      revealFailure = Status.UNAUTHENTICATED.withDescription("token revoked");
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> client.reveal("s1"));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      client.reveal("s1");
    }
    assertEquals(2, logins.get());
    assertEquals("Bearer cfr_at_token2", bearers().get(bearers().size() - 1));
  }

  @Test
  void otherFailures_leaveTheTokenInUse() {
    try (CofferClient client = client(source().build())) {
      client.reveal("s1");
      revealFailure = Status.PERMISSION_DENIED.withDescription("no grant");
      assertThrows(StatusRuntimeException.class, () -> client.reveal("s1"));
      client.reveal("s1");
    }
    assertEquals(1, logins.get());
  }

  @Test
  void aRefusedLogin_failsTheCallUnauthenticated_inCofferErrorsWords_withoutTheJwt() {
    loginAnswer = Status.UNAUTHENTICATED.withDescription("audience not accepted")
        .asRuntimeException();
    try (CofferClient client = client(source().build())) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> client.reveal("s1"));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      String said = CofferErrors.describe(e);
      assertTrue(said.contains("Login") && said.contains("audience not accepted"), said);
      assertFalse(said.contains(JWT_1) || String.valueOf(e).contains(JWT_1), said);
    }
    assertEquals(List.of("LoginRequest"), kinds());
  }

  @Test
  void anUnreachableServer_failsTheCallUnavailable() {
    loginAnswer = Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException();
    try (CofferClient client = server.connect(ClientConfig.builder()
        .tokenFileLogin(source().build()).retries(false).build())) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> client.reveal("s1"));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
  }

  @Test
  void aMissingOrEmptyFile_failsTheCallNamingTheFile_withoutCallingLogin() throws Exception {
    Files.delete(file);
    try (CofferClient client = client(source().build())) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> client.reveal("s1"));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      assertTrue(CofferErrors.describe(e).contains(file.toString()), CofferErrors.describe(e));
      Files.writeString(file, "  \n");
      e = assertThrows(StatusRuntimeException.class, () -> client.reveal("s1"));
      assertTrue(CofferErrors.describe(e).contains("is empty"), CofferErrors.describe(e));
    }
    assertTrue(server.requests.isEmpty(), kinds().toString());
  }

  @Test
  void concurrentCalls_shareOneExchange() throws Exception {
    int callers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (CofferClient client = client(source().build())) {
      TokenFileCredentials credentials = source().build()
          .credentials(LoginServiceGrpc.newBlockingStub(client.channel()));
      SecretServiceGrpc.SecretServiceBlockingStub secrets =
          SecretServiceGrpc.newBlockingStub(client.channel()).withCallCredentials(credentials);
      server.answer = request -> {
        if (request instanceof LoginRequest) {
          // Hold the exchange until every caller waits on it (bounded: 20 s at most).
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (credentials.waiters() < callers && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        }
        return answer(request);
      };
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> secrets.revealSecret(
            RevealSecretRequest.newBuilder().setName("secrets/s1").build()).getValue()));
      }
      for (Future<String> r : results) {
        assertEquals("v", r.get(30, TimeUnit.SECONDS));
      }
      assertEquals("tok_1", credentials.currentTokenId());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, logins.get());
    assertEquals(callers, bearers().stream().filter("Bearer cfr_at_token1"::equals).count());
  }

  @Test
  void toStrings_showNeitherTheJwtNorTheToken() {
    TokenFileLogin source = source().build();
    ClientConfig config = ClientConfig.builder().tokenFileLogin(source).build();
    try (CofferClient client = server.connect(config)) {
      TokenFileCredentials credentials =
          source.credentials(LoginServiceGrpc.newBlockingStub(client.channel()));
      SecretServiceGrpc.newBlockingStub(client.channel()).withCallCredentials(credentials)
          .revealSecret(RevealSecretRequest.newBuilder().setName("secrets/s1").build());
      for (String shown : List.of(source.toString(), config.toString(), credentials.toString())) {
        assertFalse(shown.contains(JWT_1) || shown.contains("cfr_at_"), shown);
      }
    }
  }

  @Test
  void withoutAFileSource_theBearerSupplierIsUsed() {
    try (CofferClient client = server.connect(
        ClientConfig.builder().tokenSupplier(() -> "cfr_at_static").build())) {
      client.reveal("s1");
    }
    assertEquals(List.of("Bearer cfr_at_static"), bearers());
    assertNull(ClientConfig.builder().build().tokenFileLogin());
  }

  /** A clock that moves only when told. */
  private static final class HandClock extends Clock {
    private volatile Instant now;

    HandClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
