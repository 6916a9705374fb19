package dev.coffer.server.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Makes JWS compact serializations with nothing but the JDK's crypto (and BouncyCastle only
 * to re-encode an ECDSA signature), independent of Tink and of Coffer's own code: the
 * interop half of the client assertion tests.
 *
 * <p>ES256 signatures from the JDK's {@code SHA256withECDSA} are ASN.1 DER
 * {@code SEQUENCE {r, s}}; JWS (RFC 7518 §3.4) wants {@code r || s}, each 32 bytes. The DER
 * route converts with BouncyCastle's DSA encodings; the P1363 route asks the JDK for that
 * format directly ({@code SHA256withECDSAinP1363Format}).
 */
public final class JdkJwt {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private JdkJwt() {}

  /** Reads a PKCS#8 PEM private key (EC or RSA). */
  public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String body = pem.replace("-----BEGIN PRIVATE KEY-----", "")
        .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
  }

  /** ES256 with the DER signature converted to JOSE r||s by BouncyCastle. */
  public static String es256ViaDer(PrivateKey key, String header, String claims)
      throws GeneralSecurityException {
    String input = input(header, claims);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    byte[] der = s.sign();
    BigInteger order = ((ECPrivateKey) key).getParams().getOrder();
    try {
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(order, der);
      return input + "." + B64.encodeToString(PlainDSAEncoding.INSTANCE.encode(order, rs[0],
          rs[1]));
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** ES256 with the JDK's IEEE P1363 (r||s) signature format. */
  public static String es256P1363(PrivateKey key, String header, String claims)
      throws GeneralSecurityException {
    return sign("SHA256withECDSAinP1363Format", key, header, claims);
  }

  /** RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
  public static String rs256(PrivateKey key, String header, String claims)
      throws GeneralSecurityException {
    return sign("SHA256withRSA", key, header, claims);
  }

  private static String sign(String algorithm, PrivateKey key, String header, String claims)
      throws GeneralSecurityException {
    String input = input(header, claims);
    Signature s = Signature.getInstance(algorithm);
    s.initSign(key);
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(s.sign());
  }

  public static String input(String header, String claims) {
    return B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
  }

  /** Claims {@code iss}/{@code sub}/{@code aud}/{@code iat}/{@code exp}/{@code jti}. */
  public static String claims(String clientId, String aud, long iat, long exp, String jti) {
    return "{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId + "\",\"aud\":\"" + aud
        + "\",\"iat\":" + iat + ",\"exp\":" + exp + ",\"jti\":\"" + jti + "\"}";
  }
}
