package dev.coffer.server.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.jwt.JwkSetConverter;
import com.google.crypto.tink.jwt.JwtPublicKeyVerify;
import com.google.crypto.tink.jwt.JwtValidator;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.Reason;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Checks the signature of a compact JWS against one public key of a signed-JWT application,
 * with Tink's {@link JwtPublicKeyVerify} built from the key's stored JWK Set. Tink also checks
 * the JOSE structure, the {@code alg} of the key and, when present, the {@code kid}.
 *
 * <p>The claims are the caller's business, so that it can say which one failed: Tink's
 * validator is told to ignore issuer, audience and type, and its clock is set to an instant
 * the caller picked inside the token's own validity window (its {@code nbf}..{@code exp}),
 * which makes Tink's time checks pass exactly when the signature does. The caller then
 * checks every claim against the real clock. Primitives are cached per key (public keys
 * never change). Thread-safe.
 */
public final class AssertionSignatures {

  private final Cache<String, JwtPublicKeyVerify> verifiers = Caffeine.newBuilder()
      .maximumSize(10_000).build();

  /**
   * Whether {@code compactJws} carries a valid signature by {@code key}.
   *
   * @param validAt an instant at which the token's exp and nbf (if any) are satisfied
   */
  public boolean verifies(PublicKeyInfo key, String compactJws, Instant validAt) {
    JwtPublicKeyVerify verify = verifiers.get(key.jwkSet(), AssertionSignatures::primitive);
    JwtValidator validator = JwtValidator.newBuilder()
        .ignoreTypeHeader()
        .ignoreIssuer()
        .ignoreAudiences()
        .allowMissingExpiration()
        .setClock(Clock.fixed(validAt, ZoneOffset.UTC))
        .build();
    try {
      verify.verifyAndDecode(compactJws, validator);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static JwtPublicKeyVerify primitive(String jwkSet) {
    try {
      return JwkSetConverter.toPublicKeysetHandle(jwkSet)
          .getPrimitive(TinkRuntime.configuration(), JwtPublicKeyVerify.class);
    } catch (GeneralSecurityException | IOException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "a stored public key is unusable", e);
    }
  }
}
