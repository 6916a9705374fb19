package dev.coffer.server.service.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.store.records.TrustedIssuerRepository;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a JWT presented by a workload or a person against one tenant's trusted issuers,
 * with Nimbus only: the issuer is found by the token's unverified {@code iss} among the
 * tenant's issuers (another tenant's issuer never matches); then a {@link DefaultJWTProcessor}
 * with a {@link JWSVerificationKeySelector} over the issuer's algorithm allow-list and its
 * {@link IssuerKeys} source checks the signature, so {@code alg: none} and an HMAC token made
 * with the issuer's public key are refused by construction (no key is ever selected for
 * them); then {@code iss} exactly, {@code aud} intersecting the issuer's audiences, {@code exp}
 * (required), {@code nbf} and {@code iat} (required) with the issuer's clock skew, and
 * {@code exp - iat} at most the issuer's max_token_lifetime. Each refusal is a
 * {@link LoginRefused} naming one {@link LoginFailure}; none holds the token or a claim value.
 */
public final class FederatedTokenVerifier {

  /** Longer tokens are refused before parsing. */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** A parsed, not yet verified token and its claimed issuer. */
  record Parsed(JWT jwt, String iss) {}

  private final TrustedIssuerRepository issuers;
  private final IssuerKeys keys;
  private final Clock clock;

  public FederatedTokenVerifier(TrustedIssuerRepository issuers, IssuerKeys keys, Clock clock) {
    this.issuers = issuers;
    this.keys = keys;
    this.clock = clock;
  }

  /** Parses {@code token}; its claims are not trusted yet. */
  Parsed parse(String token) {
    try {
      JWT jwt = JWTParser.parse(token);
      String iss = jwt.getJWTClaimsSet().getIssuer();
      return new Parsed(jwt, iss == null ? "" : iss);
    } catch (ParseException | RuntimeException e) {
      throw new LoginRefused(LoginFailure.MALFORMED, "the token is not a JWT");
    }
  }

  /** The tenant's issuer whose URL is the token's {@code iss}, exactly. */
  TrustedIssuer issuerOf(String tenantId, Parsed parsed) {
    if (parsed.iss().isEmpty()) {
      throw new LoginRefused(LoginFailure.UNKNOWN_ISSUER, "the token names no issuer");
    }
    return issuers.byIssuerUrl(tenantId, parsed.iss()).orElseThrow(() -> new LoginRefused(
        LoginFailure.UNKNOWN_ISSUER, "no trusted issuer of the tenant has the token's iss"));
  }

  /** Checks the signature and the time and audience claims; the verified claims. */
  JWTClaimsSet verify(TrustedIssuer issuer, Parsed parsed) {
    Set<JWSAlgorithm> allowed = issuer.algorithms().stream().map(JWSAlgorithm::parse)
        .collect(Collectors.toSet());
    JWKSource<SecurityContext> source = keys.source(issuer);
    JWSVerificationKeySelector<SecurityContext> selector =
        new JWSVerificationKeySelector<>(allowed, source);
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(selector);
    processor.setJWTClaimsSetVerifier(null); // the claims are checked below, each by name
    JWTClaimsSet claims;
    try {
      claims = processor.process(parsed.jwt(), null);
    } catch (BadJOSEException e) {
      throw refusal(parsed.jwt(), selector, e);
    } catch (RateLimitReachedException e) {
      throw new LoginRefused(LoginFailure.UNKNOWN_KEY,
          "no key of the issuer matches, and its key set was refreshed moments ago");
    } catch (KeySourceException e) {
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE,
          "the issuer's keys could not be fetched and none are cached");
    } catch (JOSEException e) {
      throw new LoginRefused(LoginFailure.BAD_SIGNATURE, "the signature could not be checked");
    }
    checkClaims(issuer, claims);
    return claims;
  }

  private static LoginRefused refusal(JWT jwt, JWSVerificationKeySelector<?> selector,
      BadJOSEException e) {
    if (!(jwt instanceof SignedJWT signed)) {
      return new LoginRefused(LoginFailure.UNSUPPORTED_ALGORITHM,
          "unsigned or encrypted tokens are refused");
    }
    JWSHeader header = signed.getHeader();
    if (!selector.isAllowed(header.getAlgorithm())) {
      return new LoginRefused(LoginFailure.UNSUPPORTED_ALGORITHM,
          "the token's alg is not in the issuer's allow-list");
    }
    if (e instanceof BadJWSException) {
      return new LoginRefused(LoginFailure.BAD_SIGNATURE, "the signature does not verify");
    }
    return new LoginRefused(LoginFailure.UNKNOWN_KEY,
        "no key of the issuer's key set matches the token's header");
  }

  private void checkClaims(TrustedIssuer issuer, JWTClaimsSet claims) {
    if (!issuer.issuer().equals(claims.getIssuer())) {
      throw new LoginRefused(LoginFailure.WRONG_ISSUER, "iss differs from the issuer's URL");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || aud.stream().noneMatch(issuer.audiences()::contains)) {
      throw new LoginRefused(LoginFailure.WRONG_AUDIENCE,
          "aud names none of the issuer's accepted audiences");
    }
    Instant now = clock.instant();
    Duration skew = issuer.clockSkew();
    Instant exp = instant(claims.getExpirationTime());
    Instant iat = instant(claims.getIssueTime());
    Instant nbf = instant(claims.getNotBeforeTime());
    if (exp == null) {
      throw new LoginRefused(LoginFailure.MISSING_CLAIM, "the token has no exp");
    }
    if (iat == null) {
      throw new LoginRefused(LoginFailure.MISSING_CLAIM, "the token has no iat");
    }
    if (!now.isBefore(exp.plus(skew))) {
      throw new LoginRefused(LoginFailure.EXPIRED, "the token has expired");
    }
    if ((nbf != null && now.isBefore(nbf.minus(skew))) || now.isBefore(iat.minus(skew))) {
      throw new LoginRefused(LoginFailure.NOT_YET_VALID, "the token is not valid yet");
    }
    if (Duration.between(iat, exp).compareTo(issuer.maxTokenLifetime()) > 0) {
      throw new LoginRefused(LoginFailure.LIFETIME_TOO_LONG,
          "exp - iat exceeds the issuer's max_token_lifetime");
    }
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  /** A claim's string form: a string, or a boolean's or number's; null otherwise. */
  static String claimString(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
      return String.valueOf(value);
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d)
          : String.valueOf(d);
    }
    return null;
  }
}
