package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.api.v1.AssertionFailure;
import dev.coffer.api.v1.CreateScopeRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.GetJwksResponse;
import dev.coffer.api.v1.KeyAlgorithm;
import dev.coffer.api.v1.ReportLeakRequest;
import dev.coffer.api.v1.ReportLeakResponse;
import dev.coffer.api.v1.Scope;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretKind;
import dev.coffer.api.v1.UnquarantineSecretRequest;
import dev.coffer.api.v1.VerifyClientAssertionRequest;
import dev.coffer.api.v1.VerifyClientAssertionResponse;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI of scopes, signed-JWT keys and assertions, and leak reports. */
class NewCredentialCommandsTest extends FakeServerTest {

  @TempDir Path dir;

  @Test
  void scopeCreate_sendsTheScope_andPrintsIt() {
    server.answer = req -> Scope.newBuilder().setName("scopes/orders.read")
        .setScopeId("orders.read").setOwner("alice").build();
    assertEquals(0, cli.run("scope", "create", "orders.read", "--description", "reads"));
    CreateScopeRequest r = server.last(CreateScopeRequest.class);
    assertEquals("orders.read", r.getScopeId());
    assertEquals("reads", r.getDescription());
    assertTrue(cli.out().contains("scopes/orders.read"), cli.out());
  }

  @Test
  void secretCreate_forAScope_orWithAnAlgorithm() {
    server.answer = req -> CreateSecretResponse.newBuilder().setSecret(Secret.newBuilder()
        .setName("secrets/s1").setParent("scopes/orders.read")).setValue("cfr_ss_V").build();
    assertEquals(0, cli.run("secret", "create", "--scope", "orders.read", "--name", "i"));
    assertEquals("scopes/orders.read", server.last(CreateSecretRequest.class).getParent());
    assertEquals("cfr_ss_V\n", cli.out());

    server.answer = req -> CreateSecretResponse.newBuilder().setSecret(Secret.newBuilder()
        .setName("secrets/k1").setKind(SecretKind.JWT_SIGNING_KEY).setKid("KID"))
        .setValue("-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----\n")
        .setPrivateKeyJwk("{\"kid\":\"KID\"}").build();
    assertEquals(0, cli.run("secret", "create", "--app", "c1", "--name", "k1",
        "--algorithm", "rs256"));
    assertEquals(KeyAlgorithm.RS256, server.last(CreateSecretRequest.class).getKeyAlgorithm());
    assertTrue(cli.out().startsWith("-----BEGIN PRIVATE KEY-----"), cli.out());
    assertFalse(cli.out().contains("\"kid\""), "the JWK is for --output json");
    assertTrue(cli.err().contains("private_key_jwk"), cli.err());

    assertEquals(1, cli.run("secret", "create", "--app", "c1", "--scope", "s.x", "--name", "n"));
  }

  @Test
  void secretVerify_byScope() {
    server.answer = req -> VerifySecretResponse.newBuilder().setMatch(true).build();
    cli.stdin = "cfr_ss_X\n";
    assertEquals(0, cli.run("secret", "verify", "--scope", "orders.read"));
    assertEquals("orders.read", server.last(VerifySecretRequest.class).getScope());
    cli.stdin = "cfr_ss_X\n";
    assertEquals(1, cli.run("secret", "verify", "--scope", "a.b", "--client-id", "c1"));
  }

  @Test
  void unquarantine_sendsTheName() {
    server.answer = req -> Secret.newBuilder().setName("secrets/s1").build();
    assertEquals(0, cli.run("secret", "unquarantine", "s1", "--etag", "r3"));
    UnquarantineSecretRequest r = server.last(UnquarantineSecretRequest.class);
    assertEquals("secrets/s1", r.getName());
    assertEquals("r3", r.getEtag());
  }

  @Test
  void leakReport_readsStdin_sendsNoToken_neverEchoes() {
    server.answer = req -> ReportLeakResponse.newBuilder().setReportId("rid").build();
    cli.stdin = "cfr_cs_FOUND\n";
    assertEquals(0, cli.run("leak", "report"));
    assertEquals("cfr_cs_FOUND", server.last(ReportLeakRequest.class).getValue());
    assertFalse(cli.out().contains("cfr_cs_FOUND"));
    assertTrue(cli.out().contains("rid"));
    var headers = server.headers.get(server.headers.size() - 1);
    assertEquals(null, headers.get(io.grpc.Metadata.Key.of("authorization",
        io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
    cli.stdin = "";
    assertEquals(1, cli.run("leak", "report", "cfr_cs_ONARGV"));
    assertFalse(cli.err().contains("cfr_cs_ONARGV"));
  }

  @Test
  void jwtAssert_withAJwk_signsES256WithItsKid_verifiableByTheJdk() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey) pair
        .getPrivate();
    byte[] d = priv.getS().toByteArray();
    byte[] d32 = new byte[32];
    System.arraycopy(d, Math.max(0, d.length - 32), d32, Math.max(0, 32 - d.length),
        Math.min(32, d.length));
    Path jwk = dir.resolve("key.jwk");
    Files.writeString(jwk, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"K1\",\"d\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(d32) + "\"}");
    assertEquals(0, cli.run("jwt", "assert", "--client-id", "c1", "--key-file", jwk.toString(),
        "--aud", "https://as", "--jti", "J1"));
    String token = cli.out().strip();
    String[] parts = token.split("\\.");
    assertEquals(3, parts.length);
    JsonObject header = JsonParser.parseString(new String(Base64.getUrlDecoder()
        .decode(parts[0]), StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("ES256", header.get("alg").getAsString());
    assertEquals("K1", header.get("kid").getAsString());
    JsonObject claims = JsonParser.parseString(new String(Base64.getUrlDecoder()
        .decode(parts[1]), StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("c1", claims.get("iss").getAsString());
    assertEquals("c1", claims.get("sub").getAsString());
    assertEquals("https://as", claims.get("aud").getAsString());
    assertEquals("J1", claims.get("jti").getAsString());
    assertEquals(60, claims.get("exp").getAsLong() - claims.get("iat").getAsLong());
    Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
    v.initVerify(pair.getPublic());
    v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(v.verify(Base64.getUrlDecoder().decode(parts[2])));
    assertTrue(server.requests.isEmpty(), "no server call");
  }

  @Test
  void jwtAssert_withAnUnusableKeyFile_isAUsageError() throws Exception {
    Path bad = dir.resolve("bad.pem");
    Files.writeString(bad, "not a key");
    assertEquals(1, cli.run("jwt", "assert", "--client-id", "c1", "--key-file", bad.toString(),
        "--aud", "x"));
    assertTrue(cli.err().contains("no usable"), cli.err());
  }

  @Test
  void jwtVerify_readsStdin_exit0Valid_exit3Refused() {
    server.answer = req -> VerifyClientAssertionResponse.newBuilder().setValid(true)
        .setKey("secrets/k1").setKid("K1").build();
    cli.stdin = "a.b.c\n";
    assertEquals(0, cli.run("jwt", "verify", "--client-id", "c1", "--aud", "https://as"));
    VerifyClientAssertionRequest r = server.last(VerifyClientAssertionRequest.class);
    assertEquals("a.b.c", r.getAssertion());
    assertEquals("https://as", r.getAudiences(0));
    server.answer = req -> VerifyClientAssertionResponse.newBuilder().setValid(false)
        .setFailure(AssertionFailure.ASSERTION_REPLAYED).setDetail("seen").build();
    cli.stdin = "a.b.c\n";
    assertEquals(ExitCodes.VERIFY_MISMATCH, cli.run("jwt", "verify"));
    assertTrue(cli.out().contains("ASSERTION_REPLAYED"), cli.out());
  }

  @Test
  void jwtJwks_printsTheSet() {
    server.answer = req -> GetJwksResponse.newBuilder().setJwks("{\"keys\":[]}").build();
    assertEquals(0, cli.run("jwt", "jwks", "--app", "c1"));
    assertEquals("{\"keys\":[]}\n", cli.out());
  }
}
