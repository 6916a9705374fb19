package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import dev.coffer.server.testing.CofferExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity commands against a real Coffer server on 127.0.0.1 and a real OpenID provider on
 * 127.0.0.1: a tenant admin registers the company's provider with {@code coffer issuer create},
 * a person signs in with {@code coffer login} (PKCE in a "browser" driven by java.net.http, or
 * the device grant), the kept session (mode 0600) authenticates later commands, and {@code
 * coffer logout} revokes it on the server, after which the old token fails.
 */
@Timeout(120)
class IdentityCommandsTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.loopbackServer()
      .clockStart(Instant.now().truncatedTo(ChronoUnit.SECONDS)).build();

  @TempDir Path dir;
  private Path config;
  private String alice;
  private StringWriter out;
  private StringWriter err;
  private final List<java.time.Duration> pauses = new ArrayList<>();
  private CliContext.Sleeper sleeper = pauses::add;

  @BeforeEach
  void aTenantWithAnAdmin() {
    config = dir.resolve("config");
    try (CofferClient admin = client(fixture.adminToken())) {
      admin.tenants().createTenant(CreateTenantRequest.newBuilder().setTenantId("acme").build());
      admin.principals().createPrincipal(CreatePrincipalRequest.newBuilder().setTenantId("acme")
          .setPrincipalId("alice").setAdmin(true).build());
      alice = admin.tokens().issueToken(IssueTokenRequest.newBuilder().setTenantId("acme")
          .setPrincipalId("alice").build()).getValue();
    }
  }

  private CofferClient client(String token) {
    return ClientConfig.builder().address(fixture.address()).tokenSupplier(() -> token)
        .connect();
  }

  /** Runs the CLI; {@code token} null means none (the session, if any, is then used). */
  private int cli(String token, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return CofferCli.run(context(token, err), args);
  }

  private CliContext context(String token, StringWriter errTo) {
    Map<String, String> env = new HashMap<>(Map.of(GlobalOptions.ENV_ADDR, fixture.address(),
        SessionFile.ENV_CONFIG_DIR, config.toString()));
    if (token != null) {
      env.put(GlobalOptions.ENV_TOKEN, token);
    }
    return CliContext.builder().out(new PrintWriter(out == null ? new StringWriter() : out, true))
        .err(new PrintWriter(errTo, true)).in(new BufferedReader(new StringReader("")))
        .env(env).sleeper(d -> sleeper.sleep(d)).build();
  }

  private void trustCorp(OidcTestProvider provider, String id) throws Exception {
    provider.warmUp(id);
    assertEquals(0, cli(alice, "issuer", "create", id, "--url", provider.issuer(id),
        "--purpose", "people", "--audience", "coffer-cli", "--client-id", "coffer-cli",
        "--user-claim", "preferred_username", "--require", "email_verified=true",
        "--create-users", "--scope", "openid", "--scope", "profile"), err.toString());
  }

  @Test
  void aPersonSignsInWithPkce_theSessionAuthenticates_andLogoutRevokesIt() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      trustCorp(provider, "corp");
      provider.mock.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "0b7c-bob", "JWT",
          List.of("coffer-cli"), Map.of("preferred_username", "bob", "email_verified", true),
          3600));
      Map.Entry<Integer, String> login = LoopbackLoginTest.loginThroughBrowser(
          c -> CofferCli.run(context(null, c.err()), "login", "--tenant", "acme"),
          LoopbackLoginTest::browse);
      assertEquals(0, login.getKey(), login.getValue());
      Path session = config.resolve(SessionFile.FILE_NAME);
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
      String token = JsonParser.parseString(Files.readString(session)).getAsJsonObject()
          .get("access_token").getAsString();

      // The session is the bearer when no other token is given.
      assertEquals(0, cli(null, "whoami", "-o", "json"), err.toString());
      JsonObject me = JsonParser.parseString(out.toString()).getAsJsonObject();
      assertEquals("tenants/acme/principals/bob", me.get("name").getAsString());
      assertEquals("USER", me.get("kind").getAsString());

      assertEquals(0, cli(null, "logout"), err.toString());
      assertTrue(out.toString().contains("revoked"), out.toString());
      assertFalse(Files.exists(session));
      try (CofferClient old = client(token)) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> old.principals().whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      }
    }
  }

  @Test
  void aPersonSignsInWithTheDeviceGrant_andTheSessionIsThatPerson() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      provider.enableDevice("corp");
      trustCorp(provider, "corp");
      sleeper = d -> {
        pauses.add(d);
        if (pauses.size() == 2) {
          String code = err.toString().replaceAll("(?s).*enter the code  (\\S+).*", "$1");
          try {
            provider.approve(code, "0b7c-carol",
                Map.of("preferred_username", "carol", "email_verified", true));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      };
      assertEquals(0, cli(null, "login", "--tenant", "acme", "--device", "-o", "json"),
          err.toString());
      JsonObject response = JsonParser.parseString(out.toString()).getAsJsonObject();
      assertEquals("tenants/acme/principals/carol",
          response.getAsJsonObject("principal").get("name").getAsString());
      assertEquals("tenants/acme/issuers/corp", response.get("issuer").getAsString());
      assertFalse(response.has("accessToken"), out.toString());
      assertEquals(0, cli(null, "whoami"), err.toString());
      assertTrue(out.toString().contains("tenants/acme/principals/carol"), out.toString());
    }
  }

  @Test
  void aPersonWithoutTheRequiredClaim_isRefused_andNoSessionIsKept() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      trustCorp(provider, "corp");
      provider.mock.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "0b7c-eve", "JWT",
          List.of("coffer-cli"), Map.of("preferred_username", "eve", "email_verified", false),
          3600));
      Map.Entry<Integer, String> login = LoopbackLoginTest.loginThroughBrowser(
          c -> CofferCli.run(context(null, c.err()), "login", "--tenant", "acme"),
          LoopbackLoginTest::browse);
      assertEquals(ExitCodes.UNAUTHENTICATED, login.getKey(), login.getValue());
      assertTrue(login.getValue().contains("NO_BINDING"), login.getValue());
      assertFalse(Files.exists(config.resolve(SessionFile.FILE_NAME)));
    }
  }

  @Test
  void issuerListGetDelete_onTheRealServer() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider()) {
      trustCorp(provider, "corp");
      assertEquals(0, cli(alice, "issuer", "list"), err.toString());
      assertTrue(out.toString().matches("(?s)ID +PURPOSE +URL.*\\ncorp +PEOPLE +http://127.*"),
          out.toString());
      assertEquals(0, cli(alice, "issuer", "get", "corp", "-o", "json"), err.toString());
      JsonObject got = JsonParser.parseString(out.toString()).getAsJsonObject();
      assertEquals("preferred_username", got.get("userClaim").getAsString());
      assertEquals("coffer-cli", got.get("clientId").getAsString());
      assertEquals(0, cli(alice, "issuer", "delete", "tenants/acme/issuers/corp"),
          err.toString());
      assertEquals(ExitCodes.NOT_FOUND, cli(alice, "issuer", "get", "corp", "--tenant", "acme"));
      assertEquals(0, cli(null, "issuer", "list", "--tenant", "acme", "--token", alice),
          err.toString());
      assertFalse(out.toString().contains("corp"), out.toString());
    }
  }

  @Test
  void aBadBinding_isRefusedByTheServer_namingTheField() {
    try (CofferClient owner = client(alice)) {
      owner.principals().createPrincipal(CreatePrincipalRequest.newBuilder()
          .setPrincipalId("api").setKind(dev.coffer.api.v1.PrincipalKind.SERVICE).build());
    }
    int exit = cli(alice, "issuer", "create", "cluster", "--url", "https://k8s.example",
        "--purpose", "workloads", "--jwks-uri", "https://k8s.example/jwks", "--audience", "coffer",
        "--bind", "sub~*->api");
    assertEquals(ExitCodes.INVALID_ARGUMENT, exit, err.toString());
    assertTrue(err.toString().contains("field issuer.bindings[0].claims[0].pattern"),
        err.toString());
  }
}
