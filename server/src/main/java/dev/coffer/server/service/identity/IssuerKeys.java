package dev.coffer.server.service.identity;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.TrustedIssuer;
import java.io.IOException;
import java.net.HttpURLConnection;
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
 * <p>Every request goes only to a host the operator allows ({@link IssuerFetchHosts}, {@code
 * --issuer-fetch-hosts}): checked when an issuer is created ({@link #requireFetchable}), when
 * its key source is built (the configured or discovered jwks_uri, so a discovery document
 * cannot send the server elsewhere: {@link LoginFailure#ISSUER_HOST_NOT_ALLOWED}), and again
 * by the retriever before each connection; HTTP redirects are never followed (a 3xx is a
 * failed fetch).
 *
 * <p>Security: only public keys; one source per (tenant, issuer id, creation time), so a
 * re-created issuer never inherits the keys of the one it replaced; GET only, bounded in
 * time and size, to allowed hosts only; nothing of a response reaches a caller or a message.
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
  private final IssuerFetchHosts hosts;
  private final DefaultResourceRetriever retriever;
  private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
  private final Map<String, Instant> failedDiscovery = new ConcurrentHashMap<>();

  /** Fetching from the hosts {@code hosts} allows only. */
  public IssuerKeys(Settings settings, Clock clock, IssuerFetchHosts hosts) {
    this.settings = settings;
    this.clock = clock;
    this.hosts = hosts;
    int timeout = Math.toIntExact(settings.httpTimeout().toMillis());
    this.retriever = new AllowedHostsRetriever(timeout, MAX_DOCUMENT_BYTES, hosts);
  }

  /**
   * Refuses, before anything is stored, an issuer whose keys would be fetched from a host
   * the operator does not allow: its issuer URL's host (discovery) or its jwks_uri's host.
   * An issuer with inline keys is never fetched for, so it always passes.
   *
   * @throws CofferException FAILED_PRECONDITION ({@link Reason#ISSUER_FETCH_NOT_ALLOWED})
   *     naming the field and the flag
   */
  void requireFetchable(TrustedIssuer issuer) {
    if (!issuer.jwksJson().isEmpty()) {
      return;
    }
    if (hosts.isNone()) {
      throw new CofferException(Reason.ISSUER_FETCH_NOT_ALLOWED, "this server fetches issuer "
          + "keys from no host; an operator allows hosts with " + IssuerFetchHosts.FLAG
          + ", or give the keys inline (issuer.jwks_json)");
    }
    boolean discovery = issuer.jwksUri().isEmpty();
    String field = discovery ? "issuer.issuer" : "issuer.jwks_uri";
    if (!hosts.allows(URI.create(discovery ? issuer.issuer() : issuer.jwksUri()).getHost())) {
      throw new CofferException(Reason.ISSUER_FETCH_NOT_ALLOWED, field + ": this server does "
          + "not fetch issuer keys from that host; an operator allows hosts with "
          + IssuerFetchHosts.FLAG + ", or give the keys inline (issuer.jwks_json)");
    }
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
      source = remote(allowedUrl(issuer.jwksUri().isEmpty() ? discover(issuer)
          : issuer.jwksUri()));
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
    URL discoveryUrl = allowedUrl(base + "/.well-known/openid-configuration");
    OIDCProviderMetadata metadata;
    try {
      Resource doc = retriever.retrieveResource(discoveryUrl);
      metadata = OIDCProviderMetadata.parse(doc.getContent());
    } catch (IOException | ParseException | RuntimeException e) {
      failedDiscovery.put(key, now);
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE,
          "the issuer's discovery document could not be read");
    }
    if (!issuer.issuer().equals(metadata.getIssuer().getValue())) {
      failedDiscovery.put(key, now);
      throw new LoginRefused(LoginFailure.WRONG_ISSUER,
          "the issuer's discovery document names another issuer");
    }
    URI jwks = metadata.getJWKSetURI();
    String jwksUri;
    try {
      jwksUri = IssuerRules.httpsUrl("jwks_uri", jwks == null ? "" : jwks.toString(), false);
    } catch (CofferException e) {
      failedDiscovery.put(key, now);
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE,
          "the issuer's discovery document has no usable https jwks_uri");
    }
    try {
      allowedUrl(jwksUri);
    } catch (LoginRefused e) {
      failedDiscovery.put(key, now);
      throw e;
    }
    return jwksUri;
  }

  /** {@code value} as a URL on an allowed host, or the login is refused. */
  private URL allowedUrl(String value) {
    URL url;
    try {
      url = URI.create(value).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new LoginRefused(LoginFailure.ISSUER_UNREACHABLE, "the key set URL is not usable");
    }
    if (!hosts.allows(url.getHost())) {
      throw new LoginRefused(LoginFailure.ISSUER_HOST_NOT_ALLOWED, "the issuer's keys are on "
          + "a host this server may not fetch from (" + IssuerFetchHosts.FLAG + ")");
    }
    return url;
  }

  /**
   * Nimbus's retriever with two restrictions: it connects only to allowed hosts (an
   * IOException otherwise, which Nimbus reports as a failed fetch), and it never follows an
   * HTTP redirect ({@link HttpURLConnection} would follow one to any host on the same
   * scheme; a 3xx is then a non-2xx answer, which Nimbus refuses).
   */
  private static final class AllowedHostsRetriever extends DefaultResourceRetriever {
    private final IssuerFetchHosts hosts;

    AllowedHostsRetriever(int timeoutMillis, int sizeLimit, IssuerFetchHosts hosts) {
      super(timeoutMillis, timeoutMillis, sizeLimit);
      this.hosts = hosts;
    }

    @Override
    protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
      String protocol = url.getProtocol();
      if (!("https".equals(protocol) || "http".equals(protocol)) || !hosts.allows(url.getHost())) {
        throw new IOException("refused: not an allowed issuer host");
      }
      HttpURLConnection connection = super.openHTTPConnection(url);
      connection.setInstanceFollowRedirects(false);
      return connection;
    }

    @Override
    protected java.net.URLConnection openFileConnection(URL url) throws IOException {
      throw new IOException("refused: issuer documents are fetched over http(s) only");
    }
  }

  private static String cacheKey(TrustedIssuer issuer) {
    return issuer.tenantId() + "/" + issuer.issuerId() + "/"
        + (issuer.createTime() == null ? 0 : issuer.createTime().toEpochMilli());
  }
}
