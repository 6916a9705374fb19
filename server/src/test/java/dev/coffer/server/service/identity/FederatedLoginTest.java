package dev.coffer.server.service.identity;

import static dev.coffer.server.service.identity.IdentityFixture.AUD;
import static dev.coffer.server.service.identity.IdentityFixture.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.testing.OidcProvider;
import dev.coffer.server.testing.TestVault;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in with trusted issuers' JWTs against a real OpenID provider on 127.0.0.1 (discovery
 * and JWKS over HTTP), real RocksDB and the vault's clock set to the wall clock (the provider
 * stamps iat with it). Each refusal is checked by the name of the check that refused it.
 */
class FederatedLoginTest {

  static final String SA = "system:serviceaccount:prod:api";

  @TempDir Path dir;
  TestVault t;
  OidcProvider idp;
  Instant now;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestVault(dir);
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    t.clock.set(now);
    idp = new OidcProvider("k8s");
    IdentityFixture.tenant(t, "acme", "svc-api", "svc-batch");
    IdentityFixture.tenant(t, "globex", "svc-api");
  }

  @AfterEach
  void tearDown() {
    idp.close();
    t.close();
  }

  private void trustK8s(String tenant) {
    t.vault.identity().issuers().create(t.tenantAdmin(tenant), tenant,
        IdentityFixture.workloads("k8s", idp.issuer(), SA, "svc-api").build());
  }

  private FederatedLogin.Result login(String tenant, String jwt) {
    return t.vault.identity().login().login(new FederatedLogin.Request(tenant, jwt, "",
        Duration.ofHours(2), "pod api-1", "req-1", null));
  }

  private String signed(JWTClaimsSet.Builder claims) {
    return idp.sign(claims.build());
  }

  @Test
  void aBoundSubjectSignsInAsItsServicePrincipal_withTheProvidersOwnToken() throws Exception {
    trustK8s("acme");
    SignedJWT minted = idp.server.issueToken("k8s", SA, AUD, Map.of(), 600);
    String jwt = minted.serialize();

    FederatedLogin.Result r = login("acme", jwt);

    assertEquals("svc-api", r.principal().principalId());
    assertEquals("acme", r.principal().tenantId());
    assertEquals("tenants/acme/issuers/k8s", r.issuer().resourceName());
    assertEquals(SignedJWT.parse(jwt).getJWTClaimsSet().getExpirationTime().toInstant(),
        r.issued().token().expireTime(), "a Coffer token never outlives the JWT");
    try (SecretValue value = r.issued().value()) {
      Principal who = t.vault.directory().tokens().authenticate(value);
      assertEquals("svc-api", who.principalId());
    }
    var events = t.vault.operator().auditTrail().list(t.tenantAdmin("acme"),
        new AuditFilter(null, null, "", "", AuditAction.FEDERATED_LOGIN.name()), "", 10)
        .items();
    assertEquals(1, events.size());
    assertEquals("svc-api", events.get(0).actor());
    assertEquals("tenants/acme/issuers/k8s", events.get(0).reason());
    assertTrue(events.get(0).target().startsWith("tenants/acme/principals/svc-api/tokens/"));
  }

  @Test
  void theSessionIsCappedByTheIssuersMaxSession() {
    trustK8s("acme");
    JWTClaimsSet.Builder c = idp.claims(now, SA, AUD)
        .expirationTime(Date.from(now.plus(Duration.ofHours(5))));
    FederatedLogin.Result r = login("acme", signed(c));
    assertEquals(now.plus(Duration.ofHours(1)), r.issued().token().expireTime());
  }

  @Test
  void anUnboundSubjectIsRefused() {
    trustK8s("acme");
    assertRefused(LoginFailure.NO_BINDING,
        () -> login("acme", signed(idp.claims(now, "system:serviceaccount:prod:other", AUD))));
  }

  @Test
  void aTokenBoundInOneTenantDoesNotSignInToAnother() {
    trustK8s("acme");
    String jwt = signed(idp.claims(now, SA, AUD));
    assertRefused(LoginFailure.UNKNOWN_ISSUER, () -> login("globex", jwt));
    assertRefused(LoginFailure.UNKNOWN_ISSUER, () -> login("nosuchtenant", jwt));
    // Even when the other tenant trusts the same issuer, only its own bindings count.
    t.vault.identity().issuers().create(t.tenantAdmin("globex"), "globex",
        IdentityFixture.workloads("k8s", idp.issuer(), "system:serviceaccount:x:y", "svc-api")
            .build());
    assertRefused(LoginFailure.NO_BINDING, () -> login("globex", jwt));
    assertEquals("svc-api", login("acme", jwt).principal().principalId());
  }

  @Test
  void wrongAudienceExpiredNotYetValidAndTooLongLivedAreRefused() {
    trustK8s("acme");
    assertRefused(LoginFailure.WRONG_AUDIENCE,
        () -> login("acme", signed(idp.claims(now, SA, "someone-else"))));
    assertRefused(LoginFailure.EXPIRED, () -> login("acme", signed(idp.claims(now, SA, AUD)
        .issueTime(Date.from(now.minusSeconds(900)))
        .expirationTime(Date.from(now.minusSeconds(120))))));
    assertRefused(LoginFailure.NOT_YET_VALID, () -> login("acme", signed(idp.claims(now, SA, AUD)
        .notBeforeTime(Date.from(now.plusSeconds(300))))));
    assertRefused(LoginFailure.LIFETIME_TOO_LONG, () -> login("acme",
        signed(idp.claims(now, SA, AUD).expirationTime(Date.from(now.plus(Duration.ofDays(2)))))));
    assertRefused(LoginFailure.MISSING_CLAIM, () -> login("acme",
        signed(idp.claims(now, SA, AUD).issueTime(null))));
  }

  @Test
  void algNoneIsRefusedByConstruction() {
    trustK8s("acme");
    String none = new PlainJWT(idp.claims(now, SA, AUD).build()).serialize();
    assertRefused(LoginFailure.UNSUPPORTED_ALGORITHM, () -> login("acme", none));
  }

  @Test
  void hs256SignedWithTheIssuersPublicKeyIsRefusedByConstruction() throws Exception {
    trustK8s("acme");
    byte[] publicKey = idp.key.toRSAPublicKey().getEncoded();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.kid())
        .type(JOSEObjectType.JWT).build(), idp.claims(now, SA, AUD).build());
    forged.sign(new MACSigner(publicKey));
    assertRefused(LoginFailure.UNSUPPORTED_ALGORITHM, () -> login("acme", forged.serialize()));
  }

  @Test
  void aKeyNotInTheJwksIsRefused() throws Exception {
    trustK8s("acme");
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
    assertRefused(LoginFailure.UNKNOWN_KEY, () -> login("acme",
        OidcProvider.sign(idp.claims(now, SA, AUD).build(), stranger, "stranger")));
    // The same kid as the provider's, but another key: the signature fails.
    assertRefused(LoginFailure.BAD_SIGNATURE, () -> login("acme",
        OidcProvider.sign(idp.claims(now, SA, AUD).build(), stranger, idp.kid())));
  }

  @Test
  void aTamperedPayloadIsRefused() {
    trustK8s("acme");
    String[] parts = signed(idp.claims(now, "system:serviceaccount:prod:other", AUD)).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("system:serviceaccount:prod:other", SA);
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertRefused(LoginFailure.BAD_SIGNATURE, () -> login("acme", tampered));
  }

  @Test
  void kubernetesClaimsBindByExactAndPatternMatches() {
    t.vault.identity().issuers().create(t.tenantAdmin("acme"), "acme",
        IdentityFixture.workloads("k8s", idp.issuer(), SA, "svc-api")
            .bindings(List.of(
                new ClaimBinding(List.of(ClaimMatch.exactly("sub", SA)), "svc-api"),
                new ClaimBinding(List.of(ClaimMatch.glob("sub", "system:serviceaccount:batch:*")),
                    "svc-batch")))
            .build());
    Map<String, Object> k8s = Map.of("namespace", "batch",
        "serviceaccount", Map.of("name", "nightly", "uid", "7c1f"));
    assertEquals("svc-api", login("acme", signed(idp.claims(now, SA, AUD)
        .claim("kubernetes.io", k8s))).principal().principalId());
    assertEquals("svc-batch", login("acme", signed(idp.claims(now,
        "system:serviceaccount:batch:nightly", AUD).claim("kubernetes.io", k8s)))
        .principal().principalId());
    // '*' never crosses a ':' separator.
    assertRefused(LoginFailure.NO_BINDING, () -> login("acme", signed(idp.claims(now,
        "system:serviceaccount:batch:nightly:extra", AUD))));
  }

  @Test
  void anInlineJwksIssuerNeedsNoNetwork() throws Exception {
    RSAKey clusterKey = new RSAKeyGenerator(2048).keyID("cluster-1").generate();
    String iss = "https://kubernetes.default.svc.cluster.local";
    t.vault.identity().issuers().create(t.tenantAdmin("acme"), "acme",
        IdentityFixture.workloads("cluster", iss, SA, "svc-api")
            .jwksJson(new JWKSet(clusterKey.toPublicJWK()).toString()).build());
    JWTClaimsSet claims = idp.claims(now, SA, AUD).issuer(iss).build();
    assertEquals("svc-api", login("acme", OidcProvider.sign(claims, clusterKey, "cluster-1"))
        .principal().principalId());
  }

  @Test
  void anIdTokenSignsAPersonInOnce_creatingTheUser() {
    t.vault.identity().issuers().create(t.tenantAdmin("acme"), "acme",
        IdentityFixture.people("corp", idp.issuer()).build());
    String idToken = signed(idp.claims(now, "u-123", AUD).claim("preferred_username", "carol")
        .claim("email_verified", true));

    FederatedLogin.Result r = login("acme", idToken);

    assertEquals("carol", r.principal().principalId());
    assertEquals(PrincipalKind.USER, r.principal().kind());
    assertFalse(r.principal().admin());
    assertRefused(LoginFailure.REPLAYED, () -> login("acme", idToken));
    assertRefused(LoginFailure.NO_BINDING, () -> login("acme", signed(idp.claims(now, "u-9",
        AUD).claim("preferred_username", "dave").claim("email_verified", false))));
    assertRefused(LoginFailure.INVALID_PRINCIPAL_ID, () -> login("acme", signed(idp.claims(now,
        "u-9", AUD).claim("preferred_username", "not an id!").claim("email_verified", true))));
  }

  @Test
  void anUnreachableIssuerFailsClosed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    String iss = "http://127.0.0.1:" + closed + "/gone";
    t.vault.identity().issuers().create(t.tenantAdmin("acme"), "acme",
        IdentityFixture.workloads("gone", iss, SA, "svc-api").build());
    JWTClaimsSet claims = idp.claims(now, SA, AUD).issuer(iss).build();
    assertRefused(LoginFailure.ISSUER_UNREACHABLE, () -> login("acme", idp.sign(claims)));
  }
}
