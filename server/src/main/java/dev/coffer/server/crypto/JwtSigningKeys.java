package dev.coffer.server.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.SecretKeyAccess;
import com.google.crypto.tink.jwt.JwkSetConverter;
import com.google.crypto.tink.jwt.JwtEcdsaParameters;
import com.google.crypto.tink.jwt.JwtEcdsaPrivateKey;
import com.google.crypto.tink.jwt.JwtEcdsaPublicKey;
import com.google.crypto.tink.jwt.JwtRsaSsaPkcs1Parameters;
import com.google.crypto.tink.jwt.JwtRsaSsaPkcs1PrivateKey;
import com.google.crypto.tink.jwt.JwtRsaSsaPkcs1PublicKey;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Generates the key pairs of signed-JWT applications with Tink's JWT key managers (ES256:
 * ECDSA P-256; RS256: RSASSA-PKCS1-v1_5, 2048-bit modulus, e = 65537) and exports them:
 * the public key as a JWK Set ({@link JwkSetConverter}) that the vault keeps, the private key
 * as a JWK (RFC 7517/7518 members) that leaves once, to be shown or sealed.
 *
 * <p>Key ids: each key's {@code kid} is its RFC 7638 JWK thumbprint (SHA-256 over the
 * required public members, base64url), so anyone holding the JWK Set can recompute it, and
 * the key carries it as a Tink custom kid: a token with a {@code kid} header must name it,
 * a token without one is still checked against the key. The private JWK carries the same kid.
 *
 * <p>Security: private key material passes only through {@link SecretValue}s and local
 * variables; it is never logged or put in an exception message.
 */
public final class JwtSigningKeys {

  /** A fresh key pair: the public half to keep, the private half (a JWK) to show once. */
  public record Generated(PublicKeyInfo publicKey, SecretValue privateJwk) {}

  private static final int RSA_MODULUS_BITS = 2048;

  /** Generates a key pair for {@code algorithm}. */
  public Generated generate(KeyAlgorithm algorithm) {
    try {
      return switch (algorithm) {
        case ES256 -> ecdsa();
        case RS256 -> rsa();
      };
    } catch (GeneralSecurityException | IOException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "key pair generation failed", e);
    }
  }

  private static Generated ecdsa() throws GeneralSecurityException, IOException {
    JwtEcdsaPrivateKey generated = (JwtEcdsaPrivateKey) KeysetHandle.generateNew(
        ecdsaParameters(JwtEcdsaParameters.KidStrategy.IGNORED), TinkRuntime.configuration())
        .getPrimary().getKey();
    JsonObject anonymous = onlyKey(generated.getPublicKey());
    String kid = thumbprint("{\"crv\":\"" + member(anonymous, "crv") + "\",\"kty\":\"EC\",\"x\":\""
        + member(anonymous, "x") + "\",\"y\":\"" + member(anonymous, "y") + "\"}");
    JwtEcdsaPublicKey withKid = JwtEcdsaPublicKey.builder()
        .setParameters(ecdsaParameters(JwtEcdsaParameters.KidStrategy.CUSTOM))
        .setPublicPoint(generated.getPublicKey().getPublicPoint())
        .setCustomKid(kid)
        .build();
    String jwkSet = jwkSet(withKid);
    JsonObject jwk = JsonParser.parseString(jwkSet).getAsJsonObject().getAsJsonArray("keys")
        .get(0).getAsJsonObject();
    jwk.remove("key_ops");
    jwk.addProperty("d", fixed(generated.getPrivateValue().getBigInteger(access()), 32));
    return new Generated(new PublicKeyInfo(KeyAlgorithm.ES256, kid, jwkSet),
        SecretValue.ofString(jwk.toString()));
  }

  private static Generated rsa() throws GeneralSecurityException, IOException {
    JwtRsaSsaPkcs1PrivateKey generated = (JwtRsaSsaPkcs1PrivateKey) KeysetHandle.generateNew(
        rsaParameters(JwtRsaSsaPkcs1Parameters.KidStrategy.IGNORED), TinkRuntime.configuration())
        .getPrimary().getKey();
    JsonObject anonymous = onlyKey(generated.getPublicKey());
    String kid = thumbprint("{\"e\":\"" + member(anonymous, "e") + "\",\"kty\":\"RSA\",\"n\":\""
        + member(anonymous, "n") + "\"}");
    JwtRsaSsaPkcs1PublicKey withKid = JwtRsaSsaPkcs1PublicKey.builder()
        .setParameters(rsaParameters(JwtRsaSsaPkcs1Parameters.KidStrategy.CUSTOM))
        .setModulus(generated.getPublicKey().getModulus())
        .setCustomKid(kid)
        .build();
    String jwkSet = jwkSet(withKid);
    JsonObject jwk = JsonParser.parseString(jwkSet).getAsJsonObject().getAsJsonArray("keys")
        .get(0).getAsJsonObject();
    jwk.remove("key_ops");
    SecretKeyAccess a = access();
    jwk.addProperty("d", unsigned(generated.getPrivateExponent().getBigInteger(a)));
    jwk.addProperty("p", unsigned(generated.getPrimeP().getBigInteger(a)));
    jwk.addProperty("q", unsigned(generated.getPrimeQ().getBigInteger(a)));
    jwk.addProperty("dp", unsigned(generated.getPrimeExponentP().getBigInteger(a)));
    jwk.addProperty("dq", unsigned(generated.getPrimeExponentQ().getBigInteger(a)));
    jwk.addProperty("qi", unsigned(generated.getCrtCoefficient().getBigInteger(a)));
    return new Generated(new PublicKeyInfo(KeyAlgorithm.RS256, kid, jwkSet),
        SecretValue.ofString(jwk.toString()));
  }

  private static JwtEcdsaParameters ecdsaParameters(JwtEcdsaParameters.KidStrategy kid)
      throws GeneralSecurityException {
    return JwtEcdsaParameters.builder().setAlgorithm(JwtEcdsaParameters.Algorithm.ES256)
        .setKidStrategy(kid).build();
  }

  private static JwtRsaSsaPkcs1Parameters rsaParameters(
      JwtRsaSsaPkcs1Parameters.KidStrategy kid) throws GeneralSecurityException {
    return JwtRsaSsaPkcs1Parameters.builder()
        .setAlgorithm(JwtRsaSsaPkcs1Parameters.Algorithm.RS256)
        .setModulusSizeBits(RSA_MODULUS_BITS)
        .setPublicExponent(JwtRsaSsaPkcs1Parameters.F4)
        .setKidStrategy(kid).build();
  }

  /** The JWK Set of one public key, by Tink's converter. */
  private static String jwkSet(Key publicKey) throws GeneralSecurityException, IOException {
    return JwkSetConverter.fromPublicKeysetHandle(KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(publicKey).withRandomId().makePrimary()).build());
  }

  private static JsonObject onlyKey(Key publicKey) throws GeneralSecurityException, IOException {
    return JsonParser.parseString(jwkSet(publicKey)).getAsJsonObject().getAsJsonArray("keys")
        .get(0).getAsJsonObject();
  }

  private static String member(JsonObject jwk, String name) {
    return jwk.get(name).getAsString();
  }

  /** RFC 7638: base64url(SHA-256(canonical JSON of the required members)). */
  static String thumbprint(String canonicalJson) throws GeneralSecurityException {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  /** RFC 7518 §6.2.2.1: a P-256 private scalar is exactly 32 bytes. */
  private static String fixed(BigInteger v, int length) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** RFC 7518 §6.3: RSA members are unsigned big-endian without leading zero bytes. */
  private static String unsigned(BigInteger v) {
    byte[] raw = v.toByteArray();
    int skip = raw.length > 1 && raw[0] == 0 ? 1 : 0;
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Arrays.copyOfRange(raw, skip, raw.length));
  }

  private static SecretKeyAccess access() {
    return InsecureSecretKeyAccess.get();
  }
}
