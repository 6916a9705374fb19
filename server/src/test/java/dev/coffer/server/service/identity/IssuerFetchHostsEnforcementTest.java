package dev.coffer.server.service.identity;

import static dev.coffer.server.service.identity.IdentityFixture.AUD;
import static dev.coffer.server.service.identity.IdentityFixture.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.testing.OidcProvider;
import dev.coffer.server.testing.TestVault;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --issuer-fetch-hosts at work: an issuer whose keys need fetching is refused at creation
 * unless its host is allowed (FAILED_PRECONDITION, nothing written), inline keys need no
 * host, and at sign-in the server fetches only from allowed hosts: a discovery document's
 * jwks_uri elsewhere and an HTTP redirect elsewhere both fail closed without the other host
 * being asked. Network: 127.0.0.1 only ("localhost" stands for a host not on the list).
 */
class IssuerFetchHostsEnforcementTest {

  static final String SA = "system:serviceaccount:prod:api";

  @TempDir Path dir;
  TestVault t;
  HttpServer http;
  final AtomicInteger elsewhereFetches = new AtomicInteger();
  RSAKey key;
  String base;

  @BeforeEach
  void setUp() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k-1").generate();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + http.getAddress().getPort();
    String elsewhere = "http://localhost:" + http.getAddress().getPort();
    serve("/jwks", new JWKSet(key.toPublicJWK()).toString());
    serve("/redirected/.well-known/openid-configuration", discovery(base + "/redirected",
        base + "/jwks-moved"));
    http.createContext("/jwks-moved", exchange -> {
      exchange.getResponseHeaders().add("Location", elsewhere + "/jwks-elsewhere");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    serve("/sneaky/.well-known/openid-configuration", discovery(base + "/sneaky",
        elsewhere + "/jwks-elsewhere"));
    serve("/honest/.well-known/openid-configuration", discovery(base + "/honest",
        base + "/jwks"));
    http.createContext("/jwks-elsewhere", exchange -> {
      elsewhereFetches.incrementAndGet();
      byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
  }

  @AfterEach
  void tearDown() {
    http.stop(0);
    if (t != null) {
      t.close();
    }
  }

  private void serve(String path, String json) {
    http.createContext(path, exchange -> {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  private static String discovery(String issuer, String jwksUri) {
    return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri + "\","
        + "\"authorization_endpoint\":\"" + issuer + "/authorize\","
        + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
  }

  private void open(IssuerFetchHosts hosts) {
    reopen(hosts);
    IdentityFixture.tenant(t, "acme", "svc-api");
  }

  /** The vault in {@code dir} (again), as a server restarted with another list. */
  private void reopen(IssuerFetchHosts hosts) {
    t = new TestVault(dir, hosts);
    t.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  private TrustedIssuer create(TrustedIssuer.Builder issuer) {
    return t.vault.identity().issuers().create(t.tenantAdmin("acme"), "acme", issuer.build());
  }

  private FederatedLogin.Result login(String iss) {
    Instant now = t.clock.instant();
    String jwt = OidcProvider.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(iss)
        .subject(SA).audience(AUD).issueTime(java.util.Date.from(now))
        .expirationTime(java.util.Date.from(now.plusSeconds(600))).build(), key, "k-1");
    return t.vault.identity().login().login(new FederatedLogin.Request("acme", jwt, "",
        Duration.ofHours(1), "pod api-1", "req-1", null));
  }

  private void assertNotAllowed(String field, TrustedIssuer.Builder issuer) {
    CofferException e = assertThrows(CofferException.class, () -> create(issuer));
    assertEquals(Reason.ISSUER_FETCH_NOT_ALLOWED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("--issuer-fetch-hosts"), e.getMessage());
    if (field != null) {
      assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }
    assertTrue(t.vault.identity().issuers().list(t.tenantAdmin("acme"), "acme", "", 10)
        .items().isEmpty(), "nothing written");
  }

  @Test
  void withoutTheFlag_fetchedKeysAreRefusedAtCreation_inlineKeysWorkAsBefore() {
    open(IssuerFetchHosts.none());
    assertNotAllowed(null, IdentityFixture.workloads("ci", base + "/honest", SA, "svc-api"));
    assertNotAllowed(null, IdentityFixture.workloads("ci", "https://ci.example.com", SA,
        "svc-api").jwksUri(base + "/jwks"));
    CofferException e = assertThrows(CofferException.class, () -> create(
        IdentityFixture.workloads("ci", base + "/honest", SA, "svc-api")));
    assertTrue(e.getMessage().contains("fetches issuer keys from no host"), e.getMessage());

    create(IdentityFixture.workloads("inline", base + "/inline", SA, "svc-api")
        .jwksJson(new JWKSet(key.toPublicJWK()).toString()));
    assertEquals("svc-api", login(base + "/inline").principal().principalId());
  }

  @Test
  void aHostNotOnTheList_isRefusedAtCreation_namingTheField() {
    open(IssuerFetchHosts.parse("*.idp.example,127.0.0.1"));
    assertNotAllowed("issuer.issuer", IdentityFixture.workloads("ci",
        "https://idp.example", SA, "svc-api"));
    assertNotAllowed("issuer.issuer", IdentityFixture.workloads("ci",
        "http://localhost:8080/ci", SA, "svc-api"));
    assertNotAllowed("issuer.jwks_uri", IdentityFixture.workloads("ci",
        "https://a.idp.example", SA, "svc-api").jwksUri("https://a.idp.example.evil/jwks"));
    create(IdentityFixture.workloads("ok", "https://a.idp.example", SA, "svc-api"));
  }

  @Test
  void anAllowedHost_signsInEndToEnd_byDiscoveryAndByJwksUri() {
    open(IssuerFetchHosts.parse("127.0.0.1"));
    create(IdentityFixture.workloads("honest", base + "/honest", SA, "svc-api"));
    assertEquals("svc-api", login(base + "/honest").principal().principalId());
    create(IdentityFixture.workloads("direct", "https://ci.example.com", SA, "svc-api")
        .jwksUri(base + "/jwks"));
    assertEquals("svc-api", login("https://ci.example.com").principal().principalId());
  }

  @Test
  void aDiscoveryDocumentsJwksUriOnAnotherHost_failsClosed_withoutAskingThatHost() {
    open(IssuerFetchHosts.parse("127.0.0.1"));
    create(IdentityFixture.workloads("sneaky", base + "/sneaky", SA, "svc-api"));
    assertRefused(LoginFailure.ISSUER_HOST_NOT_ALLOWED, () -> login(base + "/sneaky"));
    assertEquals(0, elsewhereFetches.get());
  }

  @Test
  void aRedirectIsNeverFollowed_soItFailsClosed_withoutAskingTheOtherHost() {
    open(IssuerFetchHosts.parse("127.0.0.1"));
    create(IdentityFixture.workloads("redirected", base + "/redirected", SA, "svc-api"));
    assertRefused(LoginFailure.ISSUER_UNREACHABLE, () -> login(base + "/redirected"));
    assertEquals(0, elsewhereFetches.get());
  }

  @Test
  void devMode_fetchesFromAnyHost_butStillFollowsNoRedirect() {
    open(IssuerFetchHosts.anyHost());
    create(IdentityFixture.workloads("people", "https://people.example", SA, "svc-api"));
    create(IdentityFixture.workloads("sneaky", base + "/sneaky", SA, "svc-api"));
    assertEquals("svc-api", login(base + "/sneaky").principal().principalId(),
        "--dev keeps the old behaviour: any host, loopback http included");
    assertEquals(1, elsewhereFetches.get());
    create(IdentityFixture.workloads("redirected", base + "/redirected", SA, "svc-api"));
    assertRefused(LoginFailure.ISSUER_UNREACHABLE, () -> login(base + "/redirected"));
    assertEquals(1, elsewhereFetches.get());
  }

  @Test
  void anIssuerWhoseHostIsNoLongerAllowed_failsClosedAfterARestart() {
    open(IssuerFetchHosts.parse("127.0.0.1"));
    create(IdentityFixture.workloads("honest", base + "/honest", SA, "svc-api"));
    t.close();
    reopen(IssuerFetchHosts.parse("login.example.com"));
    assertRefused(LoginFailure.ISSUER_HOST_NOT_ALLOWED, () -> login(base + "/honest"));
    assertFalse(t.vault.identity().issuers().list(t.tenantAdmin("acme"), "acme", "", 10)
        .items().isEmpty(), "the issuer stays; the operator's list decides");
  }
}
