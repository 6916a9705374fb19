package dev.coffer.server.service.assertions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.config.TinkConfig2026;
import com.google.crypto.tink.jwt.JwkSetConverter;
import com.google.crypto.tink.jwt.JwtPublicKeyVerify;
import com.google.crypto.tink.jwt.JwtValidator;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.service.assertions.ClientAssertions.Failure;
import dev.coffer.server.service.assertions.ClientAssertions.Result;
import dev.coffer.server.service.directory.Applications;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.JdkJwt;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client assertions of signed-JWT applications, made with the plain JDK crypto APIs (not
 * Tink), checked by Coffer: the valid ones pass, and each kind of bad one fails with its own
 * reason. Real RocksDB, real keys, a movable clock.
 */
class ClientAssertionsTest {

  static final String AUD = "https://as.example/token";
  static final AssertionRules RULES = new AssertionRules(List.of(AUD), Duration.ofMinutes(5),
      Duration.ofSeconds(60));

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  String clientId;
  String kid;
  String keyId;
  PrivateKey key;
  int jti;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestVault(dir);
    admin = t.admin();
    Applications.Created created = t.vault.directory().applications().create(admin, "signer_api",
        "production", SecurityType.SIGNED_JWT, OAuthFlow.CLIENT_CREDENTIALS, "");
    clientId = created.application().clientId();
    try (SecretMinter.Minted initial = created.initialSecret()) {
      key = JdkJwt.privateKey(initial.value().reveal());
      kid = initial.stored().metadata().publicKey().kid();
      keyId = initial.stored().metadata().secretId();
    }
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  long now() {
    return t.clock.instant().getEpochSecond();
  }

  String header() {
    return "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}";
  }

  String claims() {
    return JdkJwt.claims(clientId, AUD, now(), now() + 60, "jti-" + (++jti));
  }

  Result verify(String assertion) {
    return t.vault.assertions().clientAssertions().verify(admin, clientId, assertion, RULES);
  }

  void assertFails(Failure expected, String assertion) {
    Result r = verify(assertion);
    assertFalse(r.valid(), expected.name());
    assertEquals(expected, r.failure(), r.detail());
  }

  @Test
  void jdkSignedAssertion_derConvertedToJose_verifies() throws Exception {
    Result r = verify(JdkJwt.es256ViaDer(key, header(), claims()));
    assertTrue(r.valid(), r.detail());
    assertEquals(keyId, r.keyId());
    assertEquals(kid, r.kid());
    assertEquals("jti-1", r.jti());
  }

  @Test
  void jdkSignedAssertion_p1363Format_withoutKid_verifies() throws Exception {
    Result r = verify(JdkJwt.es256P1363(key, "{\"alg\":\"ES256\"}", claims()));
    assertTrue(r.valid(), r.detail());
    assertEquals(keyId, r.keyId());
  }

  @Test
  void clientIdMayComeFromIss() throws Exception {
    Result r = t.vault.assertions().clientAssertions().verify(admin, "",
        JdkJwt.es256P1363(key, header(), claims()), RULES);
    assertTrue(r.valid(), r.detail());
    assertEquals(clientId, r.clientId());
  }

  @Test
  void rs256Key_jdkSignedAssertion_verifies() throws Exception {
    try (SecretMinter.Minted rsa = TestSecrets.create(t.vault, admin,
        SecretParent.application(clientId), SecretRequest.builder().displayName("rsa").location("/")
            .build(), KeyAlgorithm.RS256)) {
      PrivateKey rsaKey = JdkJwt.privateKey(rsa.value().reveal());
      String rsaKid = rsa.stored().metadata().publicKey().kid();
      Result r = verify(JdkJwt.rs256(rsaKey, "{\"alg\":\"RS256\",\"kid\":\"" + rsaKid + "\"}",
          claims()));
      assertTrue(r.valid(), r.detail());
      assertEquals(rsa.stored().metadata().secretId(), r.keyId());
      assertFails(Failure.BAD_SIGNATURE, JdkJwt.rs256(rsaKey, header(), claims()));
    }
  }

  @Test
  void tamperedClaims_failWithBadSignature() throws Exception {
    String good = JdkJwt.es256ViaDer(key, header(), claims());
    String[] parts = good.split("\\.");
    String forged = JdkJwt.input(header(), JdkJwt.claims(clientId, AUD, now(), now() + 60,
        "jti-forged")).split("\\.")[1];
    assertFails(Failure.BAD_SIGNATURE, parts[0] + "." + forged + "." + parts[2]);
    char[] sig = parts[2].toCharArray();
    sig[10] = sig[10] == 'A' ? 'B' : 'A';
    assertFails(Failure.BAD_SIGNATURE, parts[0] + "." + parts[1] + "." + new String(sig));
  }

  @Test
  void expiredAssertion_failsAsExpired_beyondTheSkewOnly() throws Exception {
    long iat = now() - 200;
    String expired = JdkJwt.es256P1363(key, header(),
        JdkJwt.claims(clientId, AUD, iat, now() - 61, "old"));
    assertFails(Failure.EXPIRED, expired);
    String withinSkew = JdkJwt.es256P1363(key, header(),
        JdkJwt.claims(clientId, AUD, iat, now() - 30, "recent"));
    assertTrue(verify(withinSkew).valid());
  }

  @Test
  void wrongAudience_fails() throws Exception {
    assertFails(Failure.WRONG_AUDIENCE, JdkJwt.es256P1363(key, header(),
        JdkJwt.claims(clientId, "https://other.example", now(), now() + 60, "a")));
    Result r = t.vault.assertions().clientAssertions().verify(admin, clientId,
        JdkJwt.es256P1363(key,
        header(), JdkJwt.claims(clientId, "https://other.example", now(), now() + 60, "b")),
        RULES.withAudiences(List.of("https://other.example")));
    assertTrue(r.valid(), "the accepted audiences come from the request");
  }

  @Test
  void replayedJti_failsUntilItsExpiry_thenThePurgeForgetsIt() throws Exception {
    String claims = JdkJwt.claims(clientId, AUD, now(), now() + 60, "once");
    assertTrue(verify(JdkJwt.es256P1363(key, header(), claims)).valid());
    assertFails(Failure.REPLAYED, JdkJwt.es256P1363(key, header(), claims));
    assertFails(Failure.REPLAYED, JdkJwt.es256ViaDer(key, "{\"alg\":\"ES256\"}", claims));
    assertEquals(0, t.vault.assertions().clientAssertions().purgeReplayCache());
    t.clock.advance(Duration.ofSeconds(60 + 61));
    assertEquals(1, t.vault.assertions().clientAssertions().purgeReplayCache());
    assertEquals(0, t.vault.assertions().clientAssertions().purgeReplayCache());
  }

  @Test
  void wrongKey_failsAsUnknownKey_orBadSignatureWithoutKid() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey other = g.generateKeyPair().getPrivate();
    assertFails(Failure.UNKNOWN_KEY, JdkJwt.es256P1363(other,
        "{\"alg\":\"ES256\",\"kid\":\"not-a-key-of-this-client\"}", claims()));
    assertFails(Failure.BAD_SIGNATURE, JdkJwt.es256P1363(other, "{\"alg\":\"ES256\"}",
        claims()));
    assertFails(Failure.BAD_SIGNATURE, JdkJwt.es256P1363(other, header(), claims()));
  }

  @Test
  void revokedAndExpiredKeys_fail_andLeaveTheJwks() throws Exception {
    String assertion = JdkJwt.es256P1363(key, header(), claims());
    t.vault.secrets().secrets().revoke(admin, keyId, "");
    assertFails(Failure.KEY_REVOKED, assertion);
    assertEquals("{\"keys\":[]}", t.vault.assertions().jwks().jwks(admin, clientId).json());

    t.clock.advance(Duration.ofDays(366));
    try (SecretMinter.Minted fresh = TestSecrets.create(t.vault, admin, clientId,
        SecretRequest.builder().displayName("short").expireTime(t.clock.instant().plusSeconds(600))
            .location("/").build())) {
      PrivateKey k = JdkJwt.privateKey(fresh.value().reveal());
      String freshKid = fresh.stored().metadata().publicKey().kid();
      t.clock.advance(Duration.ofSeconds(600));
      assertFails(Failure.KEY_EXPIRED, JdkJwt.es256P1363(k,
          "{\"alg\":\"ES256\",\"kid\":\"" + freshKid + "\"}", claims()));
    }
  }

  @Test
  void otherChecks_eachHaveTheirOwnFailure() throws Exception {
    Set<Failure> seen = EnumSet.noneOf(Failure.class);
    record Case(Failure failure, String assertion) {}
    List<Case> cases = List.of(
        new Case(Failure.MALFORMED, "not-a-jwt"),
        new Case(Failure.MALFORMED, JdkJwt.input("{\"alg\":\"ES256\"}", "[1]") + ".c2ln"),
        new Case(Failure.UNSUPPORTED_ALGORITHM, JdkJwt.input("{\"alg\":\"none\"}", claims())
            + ".c2ln"),
        new Case(Failure.ISSUER_MISMATCH, JdkJwt.es256P1363(key, header(),
            JdkJwt.claims("someone-else", AUD, now(), now() + 60, "i"))),
        new Case(Failure.NOT_YET_VALID, JdkJwt.es256P1363(key, header(),
            JdkJwt.claims(clientId, AUD, now() + 120, now() + 180, "n"))),
        new Case(Failure.LIFETIME_TOO_LONG, JdkJwt.es256P1363(key, header(),
            JdkJwt.claims(clientId, AUD, now(), now() + 3600, "l"))),
        new Case(Failure.MISSING_CLAIM, JdkJwt.es256P1363(key, header(), "{\"iss\":\""
            + clientId + "\",\"sub\":\"" + clientId + "\",\"aud\":\"" + AUD + "\",\"exp\":"
            + (now() + 60) + "}")));
    for (Case c : cases) {
      assertFails(c.failure(), c.assertion());
      seen.add(c.failure());
    }
    assertEquals(cases.size() - 1, seen.size());
    Result unknown = t.vault.assertions().clientAssertions().verify(admin, "no-such-client",
        JdkJwt.es256P1363(key, header(), claims()), RULES);
    assertEquals(Failure.UNKNOWN_CLIENT, unknown.failure());
  }

  @Test
  void everyCheck_isAudited_withItsReason() throws Exception {
    long before = t.vault.kernel().audit().lastSequence();
    verify(JdkJwt.es256P1363(key, header(), claims()));
    verify("garbage");
    assertEquals(before + 2, t.vault.kernel().audit().lastSequence());
    var events = t.vault.operator().auditTrail().list(admin,
        new dev.coffer.server.audit.AuditFilter(null,
        null, "", "", AuditAction.CLIENT_ASSERTION_VERIFY.name()), "", 10).items();
    assertEquals(2, events.size());
    assertTrue(events.stream().anyMatch(e -> e.reason().equals("ASSERTION_MALFORMED")));
  }

  @Test
  void badRequests_areInvalidArgument_namingTheField() {
    assertInvalid("assertion", () -> verify(""));
    assertInvalid("assertion", () -> verify("x".repeat(9000)));
    assertInvalid("client_id", () -> t.vault.assertions().clientAssertions().verify(admin, "bad/id",
        "a.b.c", RULES));
    assertInvalid("audiences", () -> t.vault.assertions().clientAssertions().verify(admin, clientId,
        "a.b.c", RULES.withAudiences(List.of())));
  }

  @Test
  void jwks_holdsTheActiveKeys_whichTinkReads_andVerifyJdkAssertions() throws Exception {
    var jwks = t.vault.assertions().jwks().jwks(admin, clientId);
    assertEquals(List.of(keyId), jwks.keyIds());
    assertTrue(jwks.json().contains("\"kid\":\"" + kid + "\""));
    JwtPublicKeyVerify verify = JwkSetConverter.toPublicKeysetHandle(jwks.json())
        .getPrimitive(TinkConfig2026.get(), JwtPublicKeyVerify.class);
    var verified = verify.verifyAndDecode(JdkJwt.es256ViaDer(key, header(), claims()),
        JwtValidator.newBuilder().expectIssuer(clientId).expectAudience(AUD)
            .ignoreTypeHeader()
            .setClock(Clock.fixed(t.clock.instant(), ZoneOffset.UTC)).build());
    assertEquals(clientId, verified.getSubject());
    CofferException e = org.junit.jupiter.api.Assertions.assertThrows(CofferException.class,
        () -> t.vault.assertions().jwks().jwks(admin, "unknown"));
    assertEquals(Reason.APPLICATION_NOT_FOUND, e.reason());
  }

  private static void assertInvalid(String field, Runnable call) {
    CofferException e = org.junit.jupiter.api.Assertions.assertThrows(CofferException.class,
        call::run);
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals(field, e.violations().get(0).field());
  }
}
