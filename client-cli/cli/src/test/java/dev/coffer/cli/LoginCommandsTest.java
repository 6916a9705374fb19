package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.ListLoginIssuersRequest;
import dev.coffer.api.v1.ListLoginIssuersResponse;
import dev.coffer.api.v1.LoginIssuer;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginResponse;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.BearerTokenCredentials;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer login} and {@code coffer logout} against the fake Coffer server: what is sent
 * (Login without a bearer), the session file (mode 0600, its precedence after every other token,
 * only for its own server, not after expiry), and logout's revoke-then-delete.
 */
@Timeout(60)
class LoginCommandsTest extends FakeServerTest {

  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2ln";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void useAPrivateConfigDir() {
    config = dir.resolve("config");
    cli.env.remove(GlobalOptions.ENV_TOKEN);
    cli.env.put(SessionFile.ENV_CONFIG_DIR, config.toString());
  }

  private static Timestamp ts(java.time.Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
  }

  static LoginResponse loginResponse(String value) {
    return LoginResponse.newBuilder()
        .setAccessToken(value)
        .setIssuedTokenType("urn:ietf:params:oauth:token-type:access_token")
        .setToken(AccessToken.newBuilder().setName("tokens/tok_1").setTokenId("tok_1")
            .setTenantId("acme").setPrincipalId("payments-api")
            .setCreateTime(ts(CliHarness.NOW))
            .setExpireTime(ts(CliHarness.NOW.plus(Duration.ofHours(1)))))
        .setPrincipal(Principal.newBuilder().setName("tenants/acme/principals/payments-api")
            .setKind(PrincipalKind.SERVICE))
        .setIssuer("tenants/acme/issuers/cluster-a")
        .build();
  }

  private void loginWithJwtFile() throws Exception {
    Path jwt = dir.resolve("token");
    Files.writeString(jwt, JWT + "\n");
    server.answer = req -> loginResponse("cfr_at_SESSION");
    assertEquals(0, cli.run("login", "--tenant", "acme", "--jwt-file", jwt.toString(),
        "--ttl", "30m"), cli.err());
  }

  private String lastBearer() {
    return server.headers.get(server.headers.size() - 1).get(BearerTokenCredentials.AUTHORIZATION);
  }

  @Test
  void loginWithAJwtFile_exchangesIt_withoutABearer_andKeepsTheSessionInA0600File()
      throws Exception {
    loginWithJwtFile();
    LoginRequest r = server.last(LoginRequest.class);
    assertEquals("acme", r.getTenantId());
    assertEquals(JWT, r.getSubjectToken());
    assertEquals(LoginCommand.TYPE_JWT, r.getSubjectTokenType());
    assertEquals(1800, r.getTtl().getSeconds());
    assertNull(lastBearer());
    Path session = config.resolve(SessionFile.FILE_NAME);
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    assertTrue(Files.readString(session).contains("cfr_at_SESSION"));
    assertFalse(cli.out().contains("cfr_at_SESSION") || cli.err().contains("cfr_at_SESSION"));
    assertFalse(cli.out().contains(JWT) || cli.err().contains(JWT));
    assertTrue(cli.out().contains("tenants/acme/principals/payments-api"), cli.out());
    try (var files = Files.list(config)) {
      assertEquals(List.of(session), files.toList(), "no part file is left behind");
    }
  }

  @Test
  void loginJson_isTheLoginResponseWithoutItsAccessToken() throws Exception {
    Path jwt = dir.resolve("token");
    Files.writeString(jwt, JWT);
    server.answer = req -> loginResponse("cfr_at_SESSION");
    assertEquals(0, cli.run("login", "--tenant", "acme", "--jwt-file", jwt.toString(),
        "-o", "json"), cli.err());
    LoginResponse.Builder parsed = LoginResponse.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(loginResponse("").toBuilder().clearAccessToken().build(), parsed.build());
  }

  @Test
  void theSession_isTheBearerOnlyWhenNoOtherTokenIsGiven() throws Exception {
    loginWithJwtFile();
    server.answer = req -> Principal.newBuilder().setName("tenants/acme/principals/x").build();
    assertEquals(0, cli.run("whoami"), cli.err());
    assertEquals("Bearer cfr_at_SESSION", lastBearer());
    cli.env.put(GlobalOptions.ENV_TOKEN, "cfr_at_FROM_ENV");
    assertEquals(0, cli.run("whoami"), cli.err());
    assertEquals("Bearer cfr_at_FROM_ENV", lastBearer());
    Path tokenFile = dir.resolve("t");
    Files.writeString(tokenFile, "cfr_at_FROM_FILE");
    assertEquals(0, cli.run("whoami", "--token-file", tokenFile.toString()), cli.err());
    assertEquals("Bearer cfr_at_FROM_FILE", lastBearer());
    assertEquals(0, cli.run("whoami", "--token", "cfr_at_FLAG"), cli.err());
    assertEquals("Bearer cfr_at_FLAG", lastBearer());
  }

  @Test
  void theSession_isNeverSentToAnotherServer_norAfterItExpired() throws Exception {
    loginWithJwtFile();
    server.answer = req -> Principal.getDefaultInstance();
    assertEquals(0, cli.run("whoami", "--addr", "127.0.0.2:7443"), cli.err());
    assertNull(lastBearer());
    cli.clock = Clock.fixed(CliHarness.NOW.plus(Duration.ofMinutes(61)), ZoneOffset.UTC);
    assertEquals(0, cli.run("whoami"), cli.err());
    assertNull(lastBearer());
  }

  @Test
  void aRefusedLogin_saysWhatCofferSaid_andKeepsNoSession() throws Exception {
    Path jwt = dir.resolve("token");
    Files.writeString(jwt, JWT);
    server.answer = req -> Status.UNAUTHENTICATED.withDescription("audience not accepted")
        .asRuntimeException();
    assertEquals(ExitCodes.UNAUTHENTICATED,
        cli.run("login", "--tenant", "acme", "--jwt-file", jwt.toString()));
    assertTrue(cli.err().contains("sign-in refused by Coffer: UNAUTHENTICATED: audience not"
        + " accepted"), cli.err());
    assertFalse(cli.err().contains(JWT));
    assertFalse(Files.exists(config.resolve(SessionFile.FILE_NAME)));
  }

  @Test
  void loginUsageErrors_callNothing() throws Exception {
    assertEquals(ExitCodes.USAGE, cli.run("login", "--tenant", "acme", "--jwt-file",
        dir.resolve("missing").toString()));
    assertTrue(cli.err().contains("cannot read --jwt-file"), cli.err());
    Path empty = dir.resolve("empty");
    Files.writeString(empty, " \n");
    assertEquals(ExitCodes.USAGE, cli.run("login", "--tenant", "acme", "--jwt-file",
        empty.toString()));
    assertEquals(ExitCodes.USAGE, cli.run("login", "--tenant", "acme", "--jwt-file",
        empty.toString(), "--device"));
    assertEquals(ExitCodes.USAGE, cli.run("login", "--jwt-file", empty.toString()));
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void logout_revokesTheTokenWhoAmINames_withTheSessionToken_andDeletesTheFile()
      throws Exception {
    loginWithJwtFile();
    server.answer = req -> req instanceof WhoAmIRequest
        ? Principal.newBuilder().setName("tenants/acme/principals/payments-api")
            .setTokenId("tok_1").build()
        : AccessToken.newBuilder().setName("tokens/tok_1").setTokenId("tok_1")
            .setRevokeTime(ts(CliHarness.NOW)).build();
    cli.env.put(GlobalOptions.ENV_TOKEN, "cfr_at_SOMEONE_ELSE");
    assertEquals(0, cli.run("logout"), cli.err());
    assertEquals("tokens/tok_1", server.last(RevokeTokenRequest.class).getName());
    int n = server.headers.size();
    assertEquals("Bearer cfr_at_SESSION",
        server.headers.get(n - 2).get(BearerTokenCredentials.AUTHORIZATION));
    assertEquals("Bearer cfr_at_SESSION", lastBearer());
    assertFalse(Files.exists(config.resolve(SessionFile.FILE_NAME)));
    assertTrue(cli.err().contains("Signed out"), cli.err());
    assertFalse(cli.err().contains("warning"), cli.err());
  }

  @Test
  void logout_whenTheServerRefuses_stillDeletesTheFile_andSaysTheTokenLives() throws Exception {
    loginWithJwtFile();
    server.answer = req -> Status.UNAVAILABLE.withDescription("maintenance").asRuntimeException();
    assertEquals(0, cli.run("logout"), cli.err());
    assertFalse(Files.exists(config.resolve(SessionFile.FILE_NAME)));
    assertTrue(cli.err().contains("did not revoke the session token tok_1"), cli.err());
    assertTrue(cli.err().contains("2026-11-23T13:00:00Z"), cli.err());
    assertFalse(cli.err().contains("cfr_at_SESSION"));
  }

  @Test
  void logout_withoutASession_saysSo_andCallsNothing() {
    assertEquals(0, cli.run("logout"));
    assertTrue(cli.err().contains("Not signed in"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void logout_forAnotherServer_isAUsageError_andKeepsTheSession() throws Exception {
    loginWithJwtFile();
    int before = server.requests.size();
    assertEquals(ExitCodes.USAGE, cli.run("logout", "--addr", "127.0.0.2:7443"));
    assertTrue(cli.err().contains("issued by 127.0.0.1:7443"), cli.err());
    assertEquals(before, server.requests.size());
    assertTrue(Files.exists(config.resolve(SessionFile.FILE_NAME)));
  }

  // ---- people: sign-in at a real OpenID provider on 127.0.0.1 ----

  private static LoginIssuer issuer(OidcTestProvider provider, String id) {
    return LoginIssuer.newBuilder().setIssuerId(id).setIssuer(provider.issuer(id))
        .setClientId("coffer-cli").addScopes("openid").addScopes("profile").build();
  }

  @Test
  void loginWithTheDeviceGrant_pollsAtTheIntervalWithSlowDown_untilApproved_thenExchangesTheIdToken()
      throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      provider.enableDevice("corp");
      provider.slowDowns.set(1);
      server.answer = req -> req instanceof ListLoginIssuersRequest
          ? ListLoginIssuersResponse.newBuilder().addIssuers(issuer(provider, "corp")).build()
          : loginResponse("cfr_at_PERSON");
      List<Duration> pauses = new ArrayList<>();
      cli.sleeper = d -> {
        pauses.add(d);
        if (pauses.size() == 3) {
          String userCode = cli.err().replaceAll("(?s).*enter the code  (\\S+).*", "$1");
          try {
            provider.approve(userCode, "alice", Map.of("preferred_username", "alice"));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      };
      assertEquals(0, cli.run("login", "--tenant", "acme", "--device"), cli.err());
      assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(6), Duration.ofSeconds(6)),
          pauses);
      assertEquals(3, provider.polls.get());
      assertTrue(cli.err().contains(provider.issuer("corp") + "/device"), cli.err());
      LoginRequest r = server.last(LoginRequest.class);
      assertEquals(LoginCommand.TYPE_ID_TOKEN, r.getSubjectTokenType());
      JWTClaimsSet claims = SignedJWT.parse(r.getSubjectToken()).getJWTClaimsSet();
      assertEquals(provider.issuer("corp"), claims.getIssuer());
      assertEquals("alice", claims.getSubject());
      assertEquals(List.of("coffer-cli"), claims.getAudience());
      assertEquals("acme", server.last(LoginRequest.class).getTenantId());
      assertEquals("acme", ((ListLoginIssuersRequest) server.requests.get(0)).getTenantId());
      assertTrue(Files.readString(config.resolve(SessionFile.FILE_NAME)).contains("cfr_at_PERSON"));
      assertFalse(cli.err().contains(r.getSubjectToken()) || cli.out().contains("cfr_at_PERSON"));
    }
  }

  @Test
  void aDeclinedDeviceSignIn_stopsPolling_saysWhy_andExchangesNothing() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      provider.enableDevice("corp");
      provider.denied = true;
      server.answer = req -> ListLoginIssuersResponse.newBuilder()
          .addIssuers(issuer(provider, "corp")).build();
      List<Duration> pauses = new ArrayList<>();
      cli.sleeper = pauses::add;
      assertEquals(ExitCodes.UNAUTHENTICATED, cli.run("login", "--tenant", "acme", "--device"));
      assertTrue(cli.err().contains("refused the sign-in (access_denied: the user declined)"),
          cli.err());
      assertEquals(1, pauses.size());
      assertEquals(1, server.requests.size(), "ListLoginIssuers only");
      assertFalse(Files.exists(config.resolve(SessionFile.FILE_NAME)));
    }
  }

  @Test
  void loginWithSeveralIssuers_needsIssuer_andAnUnknownOneIsNamed() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      server.answer = req -> ListLoginIssuersResponse.newBuilder()
          .addIssuers(issuer(provider, "corp")).addIssuers(issuer(provider, "partners")).build();
      assertEquals(ExitCodes.USAGE, cli.run("login", "--tenant", "acme"));
      assertTrue(cli.err().contains("choose one with --issuer (corp, partners)"), cli.err());
      assertEquals(ExitCodes.NOT_FOUND, cli.run("login", "--tenant", "acme", "--issuer", "x"));
      assertTrue(cli.err().contains("no sign-in issuer x"), cli.err());
      server.answer = req -> ListLoginIssuersResponse.getDefaultInstance();
      assertEquals(ExitCodes.FAILED_PRECONDITION, cli.run("login", "--tenant", "acme"));
      assertTrue(cli.err().contains("has no sign-in issuer for people"), cli.err());
    }
  }

  @Test
  void deviceLogin_atAProviderWithoutTheGrant_saysSo() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      server.answer = req -> ListLoginIssuersResponse.newBuilder()
          .addIssuers(issuer(provider, "corp")).build();
      assertEquals(ExitCodes.FAILED_PRECONDITION, cli.run("login", "--tenant", "acme",
          "--device"));
      assertTrue(cli.err().contains("offers no device authorization endpoint"), cli.err());
    }
  }
}
