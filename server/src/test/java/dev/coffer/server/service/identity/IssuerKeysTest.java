package dev.coffer.server.service.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.store.records.TrustedIssuerRepository;
import dev.coffer.server.testing.OidcProvider;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.testing.TestVault;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key cache's lifetime: keys fetched from a jwks_uri keep verifying while the issuer is
 * down, until the cache lifetime ends; then verification fails closed. A short lifetime (3 s)
 * stands in for the production 15 minutes; the test waits it out once.
 */
class IssuerKeysTest {

  static final String ISS = "https://ci.example.com";

  @TempDir Path dir;
  TestVault t;
  HttpServer jwks;
  AtomicInteger fetches = new AtomicInteger();
  RSAKey key;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestVault(dir);
    IdentityFixture.tenant(t, "acme", "svc-api");
    key = new RSAKeyGenerator(2048).keyID("k-1").generate();
    byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext("/jwks", exchange -> {
      fetches.incrementAndGet();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
  }

  @AfterEach
  void tearDown() {
    jwks.stop(0);
    t.close();
  }

  @Test
  void cachedKeysServeWhileTheIssuerIsDown_untilTheirLifetimeEnds_thenItFailsClosed()
      throws Exception {
    TrustedIssuer issuer = t.vault.identity().issuers().create(t.tenantAdmin("acme"), "acme",
        IdentityFixture.workloads("ci", ISS, "sub-1", "svc-api")
            .jwksUri("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks").build());
    FederatedTokenVerifier verifier = new FederatedTokenVerifier(
        new TrustedIssuerRepository(t.vault.storage().store()),
        new IssuerKeys(new IssuerKeys.Settings(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(1)), t.clock, IssuerFetchHosts.parse("127.0.0.1")), t.clock);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    t.clock.set(now);
    String token = OidcProvider.sign(new JWTClaimsSet.Builder().issuer(ISS).subject("sub-1")
        .audience(IdentityFixture.AUD).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600))).build(), key, "k-1");

    verifier.verify(issuer, verifier.parse(token));
    assertEquals(1, fetches.get());
    jwks.stop(0);
    verifier.verify(issuer, verifier.parse(token)); // the issuer is down: the cache answers
    assertEquals(1, fetches.get());

    Thread.sleep(3_500); // past the cache lifetime
    LoginRefused refused = assertThrows(LoginRefused.class,
        () -> verifier.verify(issuer, verifier.parse(token)));
    assertEquals(LoginFailure.ISSUER_UNREACHABLE, refused.failure());
  }
}
