package dev.coffer.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OpenID provider on 127.0.0.1 for identity federation tests: a
 * {@link MockOAuth2Server} (discovery, JWKS, token endpoints) whose signing key the test also
 * holds, so that it can sign tokens with exactly the claims a case needs (expired, too long
 * lived, Kubernetes-style...) with the key the provider publishes. Close it after the test.
 */
public final class OidcProvider implements AutoCloseable {

  public final MockOAuth2Server server;
  public final RSAKey key;
  public final String issuerId;

  /** Starts a provider for one issuer id, on an ephemeral port of 127.0.0.1. */
  public OidcProvider(String issuerId) throws Exception {
    this.issuerId = issuerId;
    this.key = new RSAKeyGenerator(2048).keyID(issuerId + "-key-1").generate();
    this.server = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
        new OAuth2TokenProvider(new KeyProvider(List.of(key))), Set.of(),
        new MockWebServerWrapper()));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    warmUp(server.wellKnownUrl(issuerId).toString());
    warmUp(server.jwksUrl(issuerId).toString());
    for (int i = 0; i < 2; i++) {
      server.takeRequest(10, TimeUnit.SECONDS); // the warm-up requests, out of the record
    }
  }

  /**
   * The provider's first answers are slow (class loading on a busy machine) and the vault gives
   * an issuer 2 s: fetch once, without a deadline that matters, before any test does.
   */
  private static void warmUp(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(30_000);
    c.setReadTimeout(30_000);
    try (var in = c.getInputStream()) {
      in.readAllBytes();
    } finally {
      c.disconnect();
    }
  }

  /** The issuer URL ({@code iss}) of this provider. */
  public String issuer() {
    return server.issuerUrl(issuerId).toString();
  }

  /** Its JWKS URL. */
  public String jwksUri() {
    return server.jwksUrl(issuerId).toString();
  }

  /** The kid the provider publishes for its key. */
  public String kid() {
    return server.getConfig().getTokenProvider().publicJwkSet(issuerId).getKeys().get(0)
        .getKeyID();
  }

  /** Claims valid for ten minutes from {@code now}: iss, sub, aud, iat, nbf, exp, jti. */
  public JWTClaimsSet.Builder claims(Instant now, String subject, String audience) {
    return new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(audience)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600))).jwtID(UUID.randomUUID().toString());
  }

  /** {@code claims} signed RS256 with the provider's key and kid. */
  public String sign(JWTClaimsSet claims) {
    return sign(claims, key, kid());
  }

  /** {@code claims} signed RS256 with {@code signer} under {@code kid}. */
  public static String sign(JWTClaimsSet claims, RSAKey signer, String kid) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
          .type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(signer));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
