package dev.coffer.server.crypto;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Converts a private JWK (as {@link JwtSigningKeys} makes: EC P-256 or RSA with CRT members)
 * to the PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) that most JOSE libraries, OpenSSL
 * and the JDK read, by the JDK's own {@link KeyFactory} encoding. Security: the DER bytes are
 * wiped after use; nothing is logged.
 */
public final class PrivateKeyPem {

  private PrivateKeyPem() {}

  /** PKCS#8 PEM of {@code privateJwk}; does not close it. */
  public static SecretValue fromJwk(SecretValue privateJwk) {
    byte[] der = null;
    try {
      JsonObject jwk = JsonParser.parseString(privateJwk.reveal()).getAsJsonObject();
      String kty = jwk.get("kty").getAsString();
      KeySpec spec;
      String algorithm;
      if ("EC".equals(kty)) {
        AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
        p256.init(new ECGenParameterSpec("secp256r1"));
        spec = new ECPrivateKeySpec(number(jwk, "d"), p256.getParameterSpec(ECParameterSpec.class));
        algorithm = "EC";
      } else if ("RSA".equals(kty)) {
        spec = new RSAPrivateCrtKeySpec(number(jwk, "n"), number(jwk, "e"), number(jwk, "d"),
            number(jwk, "p"), number(jwk, "q"), number(jwk, "dp"), number(jwk, "dq"),
            number(jwk, "qi"));
        algorithm = "RSA";
      } else {
        throw new GeneralSecurityException("unsupported key type");
      }
      der = KeyFactory.getInstance(algorithm).generatePrivate(spec).getEncoded();
      String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
      return SecretValue.ofString("-----BEGIN PRIVATE KEY-----\n" + body
          + "\n-----END PRIVATE KEY-----\n");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "private key conversion failed", e);
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  private static BigInteger number(JsonObject jwk, String member) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(
        jwk.get(member).getAsString().getBytes(StandardCharsets.US_ASCII)));
  }
}
