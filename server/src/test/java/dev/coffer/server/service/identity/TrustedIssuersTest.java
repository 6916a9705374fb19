package dev.coffer.server.service.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registering trusted issuers: every bad setting is an INVALID_ARGUMENT naming its field that
 * writes nothing (no issuer, no audit event); duplicates are ALREADY_EXISTS; only a tenant's
 * admins (or the system administrator) manage its issuers, and a binding can only name a
 * SERVICE principal of the issuer's own tenant.
 */
class TrustedIssuersTest {

  static final String SA = "system:serviceaccount:prod:api";
  static final String ISS = "https://oidc.example.com/cluster-1";

  @TempDir Path dir;
  TestVault t;
  TrustedIssuers issuers;
  CallContext acmeAdmin;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    issuers = t.vault.identity().issuers();
    IdentityFixture.tenant(t, "acme", "svc-api");
    IdentityFixture.tenant(t, "globex", "svc-globex");
    acmeAdmin = t.tenantAdmin("acme");
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  private TrustedIssuer.Builder valid() {
    return IdentityFixture.workloads("k8s", ISS, SA, "svc-api");
  }

  private void assertInvalid(String field, UnaryOperator<TrustedIssuer.Builder> change) {
    long before = t.vault.kernel().audit().lastSequence();
    CofferException e = assertThrows(CofferException.class,
        () -> issuers.create(acmeAdmin, "acme", change.apply(valid()).build()));
    assertEquals(Reason.INVALID_FIELD, e.reason(), e.getMessage());
    assertEquals(field, e.violations().get(0).field(), e.getMessage());
    assertEquals(before, t.vault.kernel().audit().lastSequence(), "nothing written");
    assertEquals(0, issuers.list(acmeAdmin, "acme", "", 10).items().size());
  }

  private static ClaimBinding binding(String principal, ClaimMatch... claims) {
    return new ClaimBinding(List.of(claims), principal);
  }

  @Test
  void aValidIssuerIsStoredWithItsDefaults() {
    TrustedIssuer created = issuers.create(acmeAdmin, "", valid().build());
    assertEquals(List.of("RS256", "ES256"), created.algorithms());
    assertEquals(Duration.ofHours(24), created.maxTokenLifetime());
    assertEquals(Duration.ofHours(1), created.maxSession());
    assertEquals(Duration.ofSeconds(60), created.clockSkew());
    assertEquals("tenants/acme/principals/fixture-admin", created.creator());
    assertEquals(created, issuers.get(acmeAdmin, "tenants/acme/issuers/k8s"));
    assertEquals(List.of(created), issuers.list(acmeAdmin, "acme", "", 10).items());
  }

  @Test
  void theIssuerIdAndUrlAreChecked() {
    assertInvalid("issuer.issuer_id", b -> b.issuerId("K8s"));
    assertInvalid("issuer.issuer_id", b -> b.issuerId("k"));
    assertInvalid("issuer.issuer", b -> b.issuer(""));
    assertInvalid("issuer.issuer", b -> b.issuer("http://oidc.example.com"));
    assertInvalid("issuer.issuer", b -> b.issuer("ftp://oidc.example.com"));
    assertInvalid("issuer.issuer", b -> b.issuer("https://oidc.example.com/?tenant=1"));
    assertInvalid("issuer.issuer", b -> b.issuer("https://user@oidc.example.com"));
    assertInvalid("issuer.issuer", b -> b.issuer("oidc.example.com"));
    assertInvalid("issuer.purpose", b -> b.purpose(null));
    assertInvalid("issuer.jwks_uri", b -> b.jwksUri("http://keys.example.com/jwks"));
  }

  @Test
  void theKeysAreChecked_publicAndAsymmetricOnly() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("a").generate();
    OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).keyID("h").generate();
    String publicSet = new JWKSet(rsa.toPublicJWK()).toString();
    assertInvalid("issuer.jwks_uri", b -> b.jwksJson(publicSet).jwksUri(ISS + "/jwks"));
    assertInvalid("issuer.jwks_json", b -> b.jwksJson("{not json"));
    assertInvalid("issuer.jwks_json", b -> b.jwksJson("{\"keys\":[]}"));
    assertInvalid("issuer.jwks_json", b -> b.jwksJson(new JWKSet(rsa).toString(false)));
    assertInvalid("issuer.jwks_json", b -> b.jwksJson(new JWKSet(hmac).toString(false)));
    assertInvalid("issuer.algorithms", b -> b.algorithms(List.of("none")));
    assertInvalid("issuer.algorithms", b -> b.algorithms(List.of("HS256")));
    assertInvalid("issuer.algorithms", b -> b.algorithms(List.of("RS256", "RS256")));
    assertEquals(publicSet, issuers.create(acmeAdmin, "acme", valid().jwksJson(publicSet)
        .build()).jwksJson());
  }

  @Test
  void audiencesAndDurationsAreChecked() {
    assertInvalid("issuer.audiences", b -> b.audiences(List.of()));
    assertInvalid("issuer.audiences", b -> b.audiences(List.of(" ")));
    assertInvalid("issuer.max_token_lifetime", b -> b.maxTokenLifetime(Duration.ofDays(8)));
    assertInvalid("issuer.max_session", b -> b.maxSession(Duration.ofDays(400)));
    assertInvalid("issuer.max_session", b -> b.maxSession(Duration.ofSeconds(5)));
    assertInvalid("issuer.clock_skew", b -> b.clockSkew(Duration.ofMinutes(6)));
  }

  @Test
  void workloadBindingsAreChecked_neverAnySubject() {
    assertInvalid("issuer.bindings", b -> b.bindings(List.of()));
    assertInvalid("issuer.bindings[0].claims", b -> b.bindings(List.of(binding("svc-api"))));
    assertInvalid("issuer.bindings[0].claims[0]",
        b -> b.bindings(List.of(binding("svc-api", new ClaimMatch("sub", "", "")))));
    assertInvalid("issuer.bindings[0].claims[0].claim",
        b -> b.bindings(List.of(binding("svc-api", ClaimMatch.exactly("", SA)))));
    assertInvalid("issuer.bindings[0].claims[0].pattern",
        b -> b.bindings(List.of(binding("svc-api", ClaimMatch.glob("sub", "*")))));
    assertInvalid("issuer.bindings[0].claims[0].pattern",
        b -> b.bindings(List.of(binding("svc-api", ClaimMatch.glob("sub", "ab*")))));
    assertInvalid("issuer.bindings[1].principal_id", b -> b.bindings(List.of(
        binding("svc-api", ClaimMatch.exactly("sub", SA)),
        binding("nobody", ClaimMatch.exactly("sub", SA)))));
    assertInvalid("issuer.bindings[0].principal_id",
        b -> b.bindings(List.of(binding("owner", ClaimMatch.exactly("sub", SA)))));
    assertInvalid("issuer.user_claim", b -> b.userClaim("email"));
  }

  @Test
  void peopleIssuersNeedTheirUserClaimAndClientId() {
    assertInvalid("issuer.user_claim", b -> IdentityFixture.people("corp", ISS).userClaim(""));
    assertInvalid("issuer.client_id", b -> IdentityFixture.people("corp", ISS).clientId(""));
    assertInvalid("issuer.bindings", b -> IdentityFixture.people("corp", ISS)
        .bindings(valid().build().bindings()));
    assertInvalid("issuer.scopes", b -> IdentityFixture.people("corp", ISS)
        .scopes(List.of("open id")));
    assertEquals(List.of("openid", "profile", "email"), issuers.create(acmeAdmin, "acme",
        IdentityFixture.people("corp", ISS).build()).scopes());
  }

  @Test
  void duplicatesAreAlreadyExists() {
    issuers.create(acmeAdmin, "acme", valid().build());
    CofferException sameId = assertThrows(CofferException.class,
        () -> issuers.create(acmeAdmin, "acme", valid().issuer(ISS + "-2").build()));
    assertEquals(Reason.ALREADY_EXISTS, sameId.reason());
    CofferException sameUrl = assertThrows(CofferException.class,
        () -> issuers.create(acmeAdmin, "acme", valid().issuerId("other").build()));
    assertEquals(Reason.ALREADY_EXISTS, sameUrl.reason());
    // Another tenant may trust the same issuer URL.
    issuers.create(t.tenantAdmin("globex"), "globex",
        IdentityFixture.workloads("k8s", ISS, SA, "svc-globex").build());
  }

  @Test
  void onlyTheTenantsAdminsManageItsIssuers() {
    CallContext member = t.as(t.vault.directory().principals().create(t.admin(), "acme",
        "mallory", PrincipalKind.USER, false));
    assertEquals(Reason.NOT_ADMIN, assertThrows(CofferException.class,
        () -> issuers.create(member, "acme", valid().build())).reason());
    // A tenant admin of acme cannot register an issuer in globex...
    assertEquals(Reason.NOT_SYSTEM_ADMIN, assertThrows(CofferException.class,
        () -> issuers.create(acmeAdmin, "globex",
            IdentityFixture.workloads("k8s", ISS, SA, "svc-globex").build())).reason());
    // ...nor bind a principal of globex from acme: bindings name the issuer's own tenant.
    assertInvalid("issuer.bindings[0].principal_id",
        b -> b.bindings(List.of(binding("svc-globex", ClaimMatch.exactly("sub", SA)))));
    issuers.create(acmeAdmin, "acme", valid().build());
    assertEquals(Reason.NOT_SYSTEM_ADMIN, assertThrows(CofferException.class,
        () -> issuers.get(t.tenantAdmin("globex"), "tenants/acme/issuers/k8s")).reason());
    assertEquals(Reason.NOT_SYSTEM_ADMIN, assertThrows(CofferException.class,
        () -> issuers.delete(t.tenantAdmin("globex"), "tenants/acme/issuers/k8s")).reason());
    // The system administrator may act in any tenant.
    assertEquals("k8s", issuers.get(t.admin(), "tenants/acme/issuers/k8s").issuerId());
  }

  @Test
  void deletingAnIssuerRemovesItAndItsUrl() {
    issuers.create(acmeAdmin, "acme", valid().build());
    issuers.delete(acmeAdmin, "tenants/acme/issuers/k8s");
    assertEquals(Reason.ISSUER_NOT_FOUND, assertThrows(CofferException.class,
        () -> issuers.get(acmeAdmin, "tenants/acme/issuers/k8s")).reason());
    assertTrue(issuers.list(acmeAdmin, "acme", "", 10).items().isEmpty());
    issuers.create(acmeAdmin, "acme", valid().issuerId("k8s-again").build());
    CofferException badName = assertThrows(CofferException.class,
        () -> issuers.delete(acmeAdmin, "issuers/k8s"));
    assertEquals("name", badName.violations().get(0).field());
  }

  /**
   * The second path to a person's token in a tenant whose people sign in only through their
   * identity provider: a tenant admin registering a provider (inline keys of their own) and
   * signing in as anyone. Only the system administrator chooses PEOPLE issuers there.
   */
  @Test
  void withFederatedSignInOnly_onlyTheSystemAdministratorTrustsAPeopleIssuer() throws Exception {
    var tenant = t.vault.directory().tenants();
    var policy = t.vault.directory().tenants().get(t.admin(), "acme").policy();
    tenant.updatePolicy(t.admin(), "acme", new TenantPolicy(policy.allowNeverExpire(),
        policy.maxSecretLifetime(), policy.maxTokenLifetime(), policy.maxAccessDuration(),
        policy.requestDecisionWindow(), true));
    String ownKeys = new JWKSet(new RSAKeyGenerator(2048).keyID("mine").generate()
        .toPublicJWK()).toString();
    TrustedIssuer own = IdentityFixture.people("own-idp", "https://idp.admin.example")
        .jwksJson(ownKeys).build();
    long before = t.vault.kernel().audit().lastSequence();
    CofferException e = assertThrows(CofferException.class,
        () -> issuers.create(acmeAdmin, "acme", own));
    assertEquals(Reason.NOT_SYSTEM_ADMIN, e.reason(), e.getMessage());
    assertEquals(0, issuers.list(t.admin(), "acme", "", 10).items().size(), "nothing stored");
    assertTrue(t.vault.kernel().audit().lastSequence() > before, "the denial is audited");
    issuers.create(acmeAdmin, "acme", valid().build()); // workloads: still the tenant's admins
    issuers.create(t.admin(), "acme", own);
    assertEquals(2, issuers.list(acmeAdmin, "acme", "", 10).items().size());
  }

  @Test
  void aSignInRequest_neverShowsTheJwt() {
    var request = new FederatedLogin.Request("acme", "eyJhbGciOi.secret-part.sig", null, null,
        "", "req-1", null);
    assertTrue(!request.toString().contains("secret-part"), request.toString());
  }
}
