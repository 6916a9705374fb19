package dev.coffer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code coffer jwt assert}: makes a client assertion (RFC 7523 private_key_jwt) locally, with
 * the private key Coffer showed once: the PKCS#8 PEM or the private JWK (whose kid is then
 * used). Signs with the JDK (ES256 in the JOSE r||s form, RS256); no server call. Claims: iss
 * = sub = the client id, aud, iat = now, exp = now + lifetime, a random jti.
 *
 * <p>Security: the key file is read, used and dropped; it is never printed. The assertion goes
 * to stdout alone, so {@code A=$(coffer jwt assert ...)} works.
 */
@Command(name = "assert", description = {
    "Make a test client assertion (private_key_jwt) with a key Coffer generated.",
    "No server call; pipe it to coffer jwt verify, or give it to your authorization server."})
final class JwtAssertCommand implements Callable<Integer>, ContextAware {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--client-id", required = true, paramLabel = "CLIENT_ID",
      description = "The client: iss and sub.")
  String clientId;

  @Option(names = "--key-file", required = true, paramLabel = "FILE",
      description = "The private key: PKCS#8 PEM, or the private JWK (JSON) with its kid.")
  Path keyFile;

  @Option(names = "--aud", required = true, paramLabel = "AUD", split = ",",
      description = "Audience(s): your authorization server's issuer or token endpoint.")
  List<String> audiences;

  @Option(names = "--kid", paramLabel = "KID",
      description = "Key id for the header (default: the JWK's kid; none for a PEM).")
  String kid;

  @Option(names = "--lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "exp - iat, e.g. 60s, 5m (default 60s).")
  Duration lifetime = Duration.ofSeconds(60);

  @Option(names = "--jti", paramLabel = "JTI", description = "The jti (default: a random UUID).")
  String jti;

  private CliContext ctx;

  @Override
  public void context(CliContext context) {
    this.ctx = context;
  }

  @Override
  public Integer call() {
    String text;
    try {
      text = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw usage("cannot read --key-file " + keyFile);
    }
    try {
      KeyAndKid key = text.startsWith("{") ? fromJwk(text) : fromPem(text);
      String algorithm = key.key() instanceof ECPrivateKey ? "ES256" : "RS256";
      JsonObject header = new JsonObject();
      header.addProperty("alg", algorithm);
      header.addProperty("typ", "JWT");
      String headerKid = kid != null ? kid : key.kid();
      if (headerKid != null) {
        header.addProperty("kid", headerKid);
      }
      long now = Instant.now().getEpochSecond();
      JsonObject claims = new JsonObject();
      claims.addProperty("iss", clientId);
      claims.addProperty("sub", clientId);
      if (audiences.size() == 1) {
        claims.addProperty("aud", audiences.get(0));
      } else {
        JsonArray aud = new JsonArray();
        audiences.forEach(aud::add);
        claims.add("aud", aud);
      }
      claims.addProperty("iat", now);
      claims.addProperty("exp", now + lifetime.toSeconds());
      claims.addProperty("jti", jti != null ? jti : UUID.randomUUID().toString());
      String input = b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
          + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
      Signature signature = Signature.getInstance(
          algorithm.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
      signature.initSign(key.key());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      ctx.out().println(input + "." + b64(signature.sign()));
      ctx.out().flush();
      return ExitCodes.OK;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw usage("--key-file " + keyFile + " holds no usable EC P-256 or RSA private key "
          + "(PKCS#8 PEM or private JWK)");
    }
  }

  private record KeyAndKid(PrivateKey key, String kid) {}

  private static KeyAndKid fromPem(String pem) throws GeneralSecurityException {
    if (!pem.startsWith("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException("not PKCS#8 PEM");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "")
        .replace("-----END PRIVATE KEY-----", ""));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      return new KeyAndKid(KeyFactory.getInstance("EC").generatePrivate(spec), null);
    } catch (GeneralSecurityException e) {
      return new KeyAndKid(KeyFactory.getInstance("RSA").generatePrivate(spec), null);
    }
  }

  private static KeyAndKid fromJwk(String json) throws GeneralSecurityException {
    JsonObject jwk = JsonParser.parseString(json).getAsJsonObject();
    String kid = jwk.has("kid") ? jwk.get("kid").getAsString() : null;
    if ("EC".equals(jwk.get("kty").getAsString())) {
      AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
      p256.init(new ECGenParameterSpec("secp256r1"));
      return new KeyAndKid(KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(
          n(jwk, "d"), p256.getParameterSpec(ECParameterSpec.class))), kid);
    }
    return new KeyAndKid(KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(
        n(jwk, "n"), n(jwk, "e"), n(jwk, "d"), n(jwk, "p"), n(jwk, "q"), n(jwk, "dp"),
        n(jwk, "dq"), n(jwk, "qi"))), kid);
  }

  private static BigInteger n(JsonObject jwk, String member) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get(member).getAsString()));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
