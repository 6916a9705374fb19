package dev.coffer.server.store.records;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.IssuerPurpose;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.domain.TrustedIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The records behind the golden files in {@code src/test/resources/golden/}: for every
 * stored record type that holds an enum, one record per constant of each of its enums,
 * every field set to a value other than its default so that a moved or renumbered field
 * shows too. The files hold the bytes the codec of issue 17's starting point wrote for
 * exactly these records; {@link GoldenRecordsTest} checks they still decode to them and
 * that the codec still writes the same bytes. Changing a record here without adding a
 * new golden file breaks that test on purpose. No value in here is a real secret.
 */
final class GoldenRecords {

  private GoldenRecords() {}

  static final Instant T0 = Instant.parse("2026-12-06T10:15:30.123Z");

  /** One golden file: its name, the records by label, and the codec's two directions. */
  record Set<T>(String file, Map<String, T> records, Function<T, byte[]> encoder,
      Function<byte[], T> decoder) {}

  static Set<Principal> principals() {
    Map<String, Principal> m = new LinkedHashMap<>();
    m.put("user", new Principal("t-golden", "alice", PrincipalKind.USER, true, true,
        T0, "", T0.plusSeconds(60)));
    m.put("service", new Principal("t-golden", "svc-deploy", PrincipalKind.SERVICE, false,
        false, T0.plusMillis(1), "alice", T0.plusSeconds(120)));
    return new Set<>("principal.hex", m, RecordCodec::encode, RecordCodec::principal);
  }

  /**
   * Tenants as written before {@code federated_user_sign_in_only} existed: one with every
   * policy field set, one that never had a sign-in. They must read as the switch off.
   */
  static Set<Tenant> tenants() {
    Map<String, Tenant> m = new LinkedHashMap<>();
    m.put("signed_in", new Tenant("t-golden", new TenantPolicy(true, Duration.ofDays(90),
        Duration.ofDays(30), Duration.ofHours(12), Duration.ofDays(3)), T0,
        T0.plusSeconds(60)));
    m.put("never_signed_in", new Tenant("t-fresh", new TenantPolicy(false,
        Duration.ofDays(730), Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(7)),
        T0.plusMillis(1), null));
    return new Set<>("tenant.hex", m, RecordCodec::encode, RecordCodec::tenant);
  }

  /** Tenants with {@code federated_user_sign_in_only} (#19), on and off. */
  static Set<Tenant> tenantsV2() {
    Map<String, Tenant> m = new LinkedHashMap<>();
    m.put("federated_only", new Tenant("t-golden", new TenantPolicy(true, Duration.ofDays(90),
        Duration.ofDays(30), Duration.ofHours(12), Duration.ofDays(3), true), T0,
        T0.plusSeconds(60)));
    m.put("tokens_allowed", new Tenant("t-fresh", new TenantPolicy(false, Duration.ofDays(60),
        Duration.ofDays(20), Duration.ofHours(6), Duration.ofDays(2), false), T0.plusMillis(1),
        null));
    return new Set<>("tenant-v2.hex", m, RecordCodec::encode, RecordCodec::tenant);
  }

  static Set<Application> applications() {
    Map<String, Application> m = new LinkedHashMap<>();
    int i = 0;
    for (SecurityType type : SecurityType.values()) {
      for (OAuthFlow flow : OAuthFlow.values()) {
        i++;
        m.put(type.name().toLowerCase() + "+" + flow.name().toLowerCase(),
            new Application("t-golden", "client-" + i, "golden_app_" + i, "production", type,
                flow, "alice", T0.plusSeconds(i), 7 + i));
      }
    }
    return new Set<>("application.hex", m, RecordCodec::encode, RecordCodec::application);
  }

  static Set<TrustedIssuer> trustedIssuers() {
    Map<String, TrustedIssuer> m = new LinkedHashMap<>();
    m.put("workloads", TrustedIssuer.builder().tenantId("t-golden").issuerId("k8s")
        .issuer("https://oidc.golden.example/cluster").purpose(IssuerPurpose.WORKLOADS)
        .jwksJson("{\"keys\":[{\"kty\":\"EC\"}]}").audiences(List.of("coffer", "vault"))
        .algorithms(List.of("ES256", "RS256")).maxTokenLifetime(Duration.ofHours(2))
        .maxSession(Duration.ofMinutes(30)).clockSkew(Duration.ofSeconds(45))
        .bindings(List.of(new ClaimBinding(List.of(
            ClaimMatch.exactly("sub", "system:serviceaccount:prod:api"),
            ClaimMatch.glob("aud", "cof*")), "svc-deploy")))
        .createTime(T0).creator("tenants/t-golden/principals/alice").build());
    m.put("people", TrustedIssuer.builder().tenantId("t-golden").issuerId("corp")
        .issuer("https://login.golden.example").purpose(IssuerPurpose.PEOPLE)
        .jwksUri("https://login.golden.example/keys").audiences(List.of("coffer-cli"))
        .algorithms(List.of("RS256")).maxTokenLifetime(Duration.ofHours(1))
        .maxSession(Duration.ofHours(8)).clockSkew(Duration.ofSeconds(30))
        .userClaim("preferred_username")
        .requiredClaims(List.of(ClaimMatch.exactly("email_verified", "true")))
        .createUsers(true).clientId("coffer-cli").scopes(List.of("openid", "email"))
        .createTime(T0.plusSeconds(1)).creator("tenants/t-golden/principals/alice").build());
    return new Set<>("trusted-issuer.hex", m, TrustedIssuerCodec::encode,
        TrustedIssuerCodec::decode);
  }

  static Set<StoredSecret> secrets() {
    Map<String, StoredSecret> m = new LinkedHashMap<>();
    m.put("client_secret", secret(SecretKind.CLIENT_SECRET, "client-1", true, null));
    m.put("stored_credential", secret(SecretKind.STORED_CREDENTIAL, "client-2", true, null));
    m.put("scope_secret", secret(SecretKind.SCOPE_SECRET, "orders.read", false, null));
    m.put("signing_key_es256", secret(SecretKind.SIGNING_KEY, "client-3", false,
        new PublicKeyInfo(KeyAlgorithm.ES256, "kid-es", "{\"keys\":[{\"kty\":\"EC\"}]}")));
    m.put("signing_key_rs256", secret(SecretKind.SIGNING_KEY, "client-4", true,
        new PublicKeyInfo(KeyAlgorithm.RS256, "kid-rs", "{\"keys\":[{\"kty\":\"RSA\"}]}")));
    return new Set<>("secret.hex", m, RecordCodec::encode, RecordCodec::secret);
  }

  private static StoredSecret secret(SecretKind kind, String holder, boolean vaulted,
      PublicKeyInfo publicKey) {
    String id = "s-" + kind.name().toLowerCase() + (publicKey == null ? ""
        : "-" + publicKey.algorithm().name().toLowerCase());
    SecretMetadata meta = SecretMetadata.builder().tenantId("t-golden").secretId(id)
        .holderId(holder).displayName("name of " + id).description("description of " + id)
        .location("/Finance/Payments").vaulted(vaulted).sharingEnabled(vaulted).owner("alice")
        .preapproveOwner(vaulted).kind(kind).hint("abc").createTime(T0)
        .expireTime(T0.plus(Duration.ofDays(365))).revokeTime(T0.plusSeconds(3600))
        .creator("bob").version(3).revision(11).rotatedFrom("s-before").rotatedTo("s-after")
        .externalClientId(kind == SecretKind.STORED_CREDENTIAL ? "ext-client" : "")
        .quarantineTime(T0.plusSeconds(1800)).publicKey(publicKey).build();
    SealedSecret sealed = vaulted ? new SealedSecret(new byte[0], bytes("ciphertext " + id))
        : null;
    return new StoredSecret(meta, bytes("verifier " + id), sealed, bytes("lookup " + id));
  }

  static Set<AccessRequest> accessRequests() {
    Map<String, AccessRequest> m = new LinkedHashMap<>();
    int i = 0;
    for (AccessRequest.Status status : AccessRequest.Status.values()) {
      i++;
      m.put(status.name().toLowerCase(), new AccessRequest("t-golden", "r-" + i, "s-vaulted",
          "carol", "quarterly audit " + i, Duration.ofHours(i), status, T0.plusSeconds(i),
          T0.plus(Duration.ofDays(2)), "alice", T0.plusSeconds(100 + i), "reason " + i,
          "g-" + i, 20 + i));
    }
    return new Set<>("access-request.hex", m, RecordCodec::encode,
        RecordCodec::accessRequest);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
