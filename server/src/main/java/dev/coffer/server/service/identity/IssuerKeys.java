package dev.coffer.server.service.identity;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.TrustedIssuer;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each trusted issuer's public keys come from: its inline JWK Set, its jwks_uri, or the
 * jwks_uri of its OpenID discovery document ({@code {issuer}/.well-known/openid-configuration},
 * whose {@code issuer} must equal the configured one). Remote sets are Nimbus
 * {@link JWKSourceBuilder} sources: cached for {@link Settings#cacheTtl} (15 minutes by
 * default), refreshed when a token names an unknown {@code kid} under Nimbus's rate limit (at
 * most two fetches per {@link Settings#minRefreshInterval}, 30 s by default: the load and one
 * refresh), never retried in a loop, and each fetch bounded by {@link Settings#httpTimeout} (2
 * s) to connect and 2 s to read. When the cache lifetime ends and the issuer cannot be reached,
 * verification fails closed ({@link LoginFailure#ISSUER_UNREACHABLE}). A failed discovery is
 * not tried again for the same refresh interval.
 *
 * <p>Security: only public keys; one source per (tenant, issuer id, creation time), so a
 * re-created issuer never inherits the keys of the one it replaced.
 */
public final class IssuerKeys {

  /** Timeouts and cache lifetimes of remote key sets. */
  public record Settings(Duration httpTimeout, Duration cacheTtl, Duration minRefreshInterval) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofSeconds(30));
    }
  }

  private static final int MAX_DOCUMENT_BYTES = 512 * 1024;
  private static final int MAX_SOURCES = 10_000;

  private final Settings settings;
  private final Clock clock;
  private final DefaultResourceRetriever retriever;
  private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
  private final Map<String, Instant> failedDiscovery = new ConcurrentHashMap<>();

  public IssuerKeys(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    int timeout = Math.toIntExact(settings.httpTimeout().toMillis());
    this.retriever = new DefaultResourceRetriever(timeout, timeout, MAX_DOCUMENT_BYTES);
  }

  /** The key source of {@code issuer}, discovering its jwks_uri when it has none. */
  JWKSource<SecurityContext> source(TrustedIssuer issuer) {
    String key = cacheKey(issuer);
    JWKSource<SecurityContext> source = sources.get(key);
    if (source != null) {
      return source;
    }
    if (!issuer.jwksJson().isEmpty()) {
      source = new ImmutableJWKSet<>(IssuerRules.publicJwks(issuer.jwksJson()));
    } else {
      source = remote(url(issuer.jwksUri().isEmpty() ? discover(issuer) : issuer.jwksUri()));
    }
    if (sources.size() >= MAX_SOURCES) {
      sources.clear();
    }
    JWKSource<SecurityContext> raced = sources.putIfAbsent(key, source);
    return raced == null ? source : raced;
  }

  /** Drops the cached keys of {@code issuer} (deleted). */
  void forget(TrustedIssuer issuer) {
    sources.remove(cacheKey(issuer));
    failedDiscovery.remove(cacheKey(issuer));
  }

  private JWKSource<SecurityContext> remote(URL jwksUrl) {
    return JWKSourceBuilder.<SecurityContext>create(jwksUrl, retriever)
        .cache(settings.cacheTtl().toMillis(), settings.httpTimeout().toMillis())
        .refreshAheadCache(false)
        .rateLimited(settings.minRefreshInterval().toMillis())
        .retrying(false)
        .outageTolerant(false)
        .build();
  }

  /** The jwks_uri of the issuer's discovery document, checked to name the same issuer. */
  private String discover(TrustedIssuer issuer) {
    String key = cacheKey(issuer);
    Instant failed = failedDiscovery.get(key);
    Instant now = clock.instant();
    if (failed != null && now.isBefore(failed.plus(settings.minRefreshInterval()))) {
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE,
          "the issuer's discovery document failed recently; not retried yet");
    }
    String base = issuer.issuer().endsWith("/") ? issuer.issuer().substring(0,
        issuer.issuer().length() - 1) : issuer.issuer();
    OIDCProviderMetadata metadata;
    try {
      Resource doc = retriever.retrieveResource(url(base + "/.well-known/openid-configuration"));
      metadata = OIDCProviderMetadata.parse(doc.getContent());
    } catch (IOException | ParseException | RuntimeException e) {
      failedDiscovery.put(key, now);
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE,
          "the issuer's discovery document could not be read (" + e.getClass().getSimpleName()
              + ")");
    }
    if (!issuer.issuer().equals(metadata.getIssuer().getValue())) {
      failedDiscovery.put(key, now);
      throw new LoginRefused(LoginFailure.WRONG_ISSUER,
          "the issuer's discovery document names another issuer");
    }
    URI jwks = metadata.getJWKSetURI();
    try {
      return IssuerRules.httpsUrl("jwks_uri", jwks == null ? "" : jwks.toString(), false);
    } catch (CofferException e) {
      failedDiscovery.put(key, now);
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE,
          "the issuer's discovery document has no usable https jwks_uri");
    }
  }

  private static URL url(String value) {
    try {
      return URI.create(value).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE, "the key set URL is not usable");
    }
  }

  private static String cacheKey(TrustedIssuer issuer) {
    return issuer.tenantId() + "/" + issuer.issuerId() + "/"
        + (issuer.createTime() == null ? 0 : issuer.createTime().toEpochMilli());
  }
}
