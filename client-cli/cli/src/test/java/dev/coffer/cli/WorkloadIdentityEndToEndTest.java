package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.ListTokensRequest;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.StoreCredentialRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import dev.coffer.client.TokenFileLogin;
import dev.coffer.server.testing.CofferExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload identity end to end, against a real Coffer server on 127.0.0.1 (real vault,
 * interceptors, Login): a tenant admin trusts a Kubernetes cluster's service-account issuer with
 * {@code coffer issuer create} (its JWK Set inline, as for a cluster the server cannot reach);
 * a Kubernetes-style projected token, signed by the cluster's key, sits in a file; the Java
 * client's {@link TokenFileLogin} exchanges it and reveals a secret granted to the bound SERVICE
 * principal; when the file is rotated to a token of another service account the client
 * exchanges again, and the new Coffer token's principal and expiry are the new JWT's.
 */
@Timeout(120)
class WorkloadIdentityEndToEndTest {

  private static final String CLUSTER = "https://kubernetes.default.svc.cluster.local";

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.loopbackServer()
      .clockStart(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).build();

  @TempDir Path dir;

  private CofferClient as(String token) {
    return ClientConfig.builder().address(fixture.address()).tokenSupplier(() -> token)
        .connect();
  }

  private int cli(String token, StringWriter err, String... args) {
    return CofferCli.run(CliContext.builder().out(new PrintWriter(new StringWriter(), true))
        .err(new PrintWriter(err, true)).in(new BufferedReader(new StringReader("")))
        .env(Map.of(GlobalOptions.ENV_TOKEN, token, GlobalOptions.ENV_ADDR, fixture.address(),
            SessionFile.ENV_CONFIG_DIR, dir.resolve("config").toString()))
        .build(), args);
  }

  /** A projected service-account token as the kubelet writes it. */
  private static String serviceAccountToken(RSAKey key, String namespace, String account,
      Instant now, Duration lifetime) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(CLUSTER)
        .subject("system:serviceaccount:" + namespace + ":" + account)
        .audience(List.of("coffer"))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .claim("kubernetes.io", Map.of(
            "namespace", namespace,
            "serviceaccount", Map.of("name", account, "uid", UUID.randomUUID().toString()),
            "pod", Map.of("name", account + "-7f9c4d-x2x8q", "uid", UUID.randomUUID().toString()),
            "node", Map.of("name", "node-1", "uid", UUID.randomUUID().toString())))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
  }

  @Test
  void aProjectedServiceAccountToken_revealsTheGrantedSecret_andARotatedFileIsExchangedAgain()
      throws Exception {
    Instant now = fixture.clock().instant();
    String alice;
    try (CofferClient admin = as(fixture.adminToken())) {
      admin.tenants().createTenant(CreateTenantRequest.newBuilder().setTenantId("acme").build());
      admin.principals().createPrincipal(CreatePrincipalRequest.newBuilder().setTenantId("acme")
          .setPrincipalId("alice").setAdmin(true).build());
      alice = admin.tokens().issueToken(IssueTokenRequest.newBuilder().setTenantId("acme")
          .setPrincipalId("alice").build()).getValue();
    }
    String secretName;
    try (CofferClient owner = as(alice)) {
      for (String service : List.of("payments-api", "payments-worker")) {
        owner.principals().createPrincipal(CreatePrincipalRequest.newBuilder()
            .setPrincipalId(service).setKind(PrincipalKind.SERVICE).build());
      }
      owner.locations().createLocation(CreateLocationRequest.newBuilder().setPath("/Payments")
          .build());
      Secret secret = owner.secrets().storeCredential(StoreCredentialRequest.newBuilder()
          .setDisplayName("psp api key").setExternalClientId("psp-client")
          .setValue("psp-live-key-4242").setLocation("/Payments").setSharingEnabled(true)
          .setOwner("alice").setExpireTime(ts(now.plus(Duration.ofDays(30)))).build());
      secretName = secret.getName();
      for (String service : List.of("payments-api", "payments-worker")) {
        owner.grants().createGrant(CreateGrantRequest.newBuilder().setSecret(secretName)
            .setGrantee(service).setExpireTime(ts(now.plus(Duration.ofDays(7)))).build());
      }
    }

    // The tenant admin trusts the cluster, with the CLI.
    RSAKey clusterKey = new RSAKeyGenerator(2048).keyID("sa-key-1").generate();
    Path jwks = dir.resolve("cluster-jwks.json");
    Files.writeString(jwks, new JWKSet(clusterKey.toPublicJWK()).toString());
    StringWriter err = new StringWriter();
    assertEquals(0, cli(alice, err, "issuer", "create", "cluster-a", "--url", CLUSTER,
        "--purpose", "workloads", "--jwks-file", jwks.toString(), "--audience", "coffer",
        "--algorithm", "RS256", "--max-session", "1h",
        "--bind", "sub=system:serviceaccount:payments:api->payments-api",
        "--bind", "sub=system:serviceaccount:payments:worker,iss=" + CLUSTER
            + "->payments-worker"), err.toString());

    // The pod: a projected token in a file, read by the Java client.
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, serviceAccountToken(clusterKey, "payments", "api", now,
        Duration.ofMinutes(10)));
    TokenFileLogin source = TokenFileLogin.builder(tokenFile, "acme")
        .fileCheckInterval(Duration.ZERO).description("pod api-7f9c4d-x2x8q").build();
    try (CofferClient pod = ClientConfig.builder().address(fixture.address())
        .tokenFileLogin(source).connect()) {
      assertEquals("psp-live-key-4242", pod.reveal(secretName));
      Principal first = pod.principals().whoAmI(WhoAmIRequest.getDefaultInstance());
      assertEquals("payments-api", first.getPrincipalId());
      assertEquals(PrincipalKind.SERVICE, first.getKind());
      assertEquals(now.plus(Duration.ofMinutes(10)).getEpochSecond(),
          expiryOf(pod, first).getEpochSecond(), "capped by the JWT's exp");

      // The kubelet rotates the file: now a token of another service account, living longer.
      Files.writeString(tokenFile, serviceAccountToken(clusterKey, "payments", "worker", now,
          Duration.ofMinutes(20)));
      assertEquals("psp-live-key-4242", pod.reveal(secretName));
      Principal second = pod.principals().whoAmI(WhoAmIRequest.getDefaultInstance());
      assertEquals("payments-worker", second.getPrincipalId());
      assertNotEquals(first.getTokenId(), second.getTokenId());
      assertEquals(now.plus(Duration.ofMinutes(20)).getEpochSecond(),
          expiryOf(pod, second).getEpochSecond());

      // A token of an unbound service account: the call fails UNAUTHENTICATED, naming why.
      Files.writeString(tokenFile, serviceAccountToken(clusterKey, "payments", "batch", now,
          Duration.ofMinutes(10)));
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> pod.reveal(secretName));
      assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
      String said = dev.coffer.client.CofferErrors.describe(refused);
      assertTrue(said.contains("NO_BINDING"), said);
    }
  }

  /** The expiry of the caller's current token, from ListTokens (metadata, never the value). */
  private static Instant expiryOf(CofferClient client, Principal me) {
    Map<String, AccessToken> byId = new HashMap<>();
    client.tokens().listTokens(ListTokensRequest.getDefaultInstance()).getTokensList()
        .forEach(t -> byId.put(t.getTokenId(), t));
    AccessToken token = byId.get(me.getTokenId());
    return Instant.ofEpochSecond(token.getExpireTime().getSeconds());
  }
}
