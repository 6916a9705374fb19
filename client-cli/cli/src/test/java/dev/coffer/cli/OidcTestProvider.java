package dev.coffer.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * A real OpenID provider on 127.0.0.1 for the {@code coffer login} tests: {@code
 * mock-oauth2-server} (discovery, JWKS, the authorization code flow with PKCE, non-interactive
 * login) with the device authorization grant (RFC 8628) added as extra routes, because version
 * 2.1.10 does not serve it. The added grant issues device and user codes, answers polls with
 * {@code authorization_pending} / {@code slow_down} until {@link #approve} is called (what a
 * person does in a browser), then returns an ID token the mock itself signs with its published
 * keys. Issuers for which {@link #enableDevice} was called advertise the device endpoint in their
 * discovery document.
 */
final class OidcTestProvider implements AutoCloseable {

  static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  final MockOAuth2Server mock;
  private final Set<String> deviceIssuers = ConcurrentHashMap.newKeySet();
  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  /** Polls that get {@code slow_down} before any other answer. */
  final AtomicInteger slowDowns = new AtomicInteger();
  final AtomicInteger polls = new AtomicInteger();
  /** When set, polls are answered {@code access_denied} (the person declined). */
  volatile boolean denied;

  private static final class Device {
    final String issuerId;
    final String clientId;
    final String userCode;
    volatile Map<String, Object> approvedClaims;
    volatile String approvedSubject;

    Device(String issuerId, String clientId, String userCode) {
      this.issuerId = issuerId;
      this.clientId = clientId;
      this.userCode = userCode;
    }
  }

  OidcTestProvider() throws IOException {
    mock = new MockOAuth2Server(new OAuth2Config(false), new DeviceRoutes());
    mock.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  /**
   * The issuer URL, on 127.0.0.1 (the mock names its address "localhost"; the mock builds the
   * URLs of its documents and tokens from the request's host, so they say 127.0.0.1 too).
   */
  String issuer(String issuerId) {
    return onLoopback(mock.issuerUrl(issuerId)).toString();
  }

  private static HttpUrl onLoopback(HttpUrl url) {
    return url.newBuilder().host("127.0.0.1").build();
  }

  /**
   * Fetches the issuer's discovery document and keys once: the provider's first answers are
   * slow (class loading) and a Coffer server gives an issuer only a few seconds.
   */
  void warmUp(String issuerId) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/.well-known/openid-configuration", "/jwks")) {
      http.send(HttpRequest.newBuilder(URI.create(issuer(issuerId) + path))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  void enableDevice(String issuerId) {
    deviceIssuers.add(issuerId);
  }

  private volatile String identitySubject;
  private volatile Map<String, Object> identityClaims;

  /**
   * The person approves {@code userCode} at the verification page, signed in as {@code subject}
   * with {@code claims}: a real HTTP request to the provider, as their browser would make.
   */
  void approve(String userCode, String subject, Map<String, Object> claims) throws Exception {
    identitySubject = subject;
    identityClaims = claims;
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        onLoopback(mock.baseUrl()) + "device-approve?user_code=" + userCode)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("approval failed: " + r.statusCode());
    }
  }

  @Override
  public void close() {
    mock.shutdown();
  }

  private OAuth2HttpResponse json(int status, Map<String, Object> body) {
    OAuth2HttpResponse ok = OAuth2HttpResponseKt.json(body);
    return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json",
        "Cache-Control", "no-store"), status, ok.getBody(), null);
  }

  /** The added routes; everything else falls through to the mock's own. */
  private final class DeviceRoutes implements Route {
    @Override
    public boolean match(OAuth2HttpRequest request) {
      List<String> path = request.getUrl().pathSegments();
      String last = path.get(path.size() - 1);
      if (path.size() == 1 && last.equals("device-approve")) {
        return true;
      }
      if (path.size() == 2 && last.equals("device_authorization")) {
        return true;
      }
      if (path.size() == 3 && path.get(1).equals(".well-known")
          && deviceIssuers.contains(path.get(0))) {
        return true;
      }
      return path.size() == 2 && last.equals("token") && request.getMethod().equals("POST")
          && DEVICE_GRANT.equals(request.getFormParameters().get("grant_type"));
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
      List<String> path = request.getUrl().pathSegments();
      String last = path.get(path.size() - 1);
      if (last.equals("device-approve")) {
        String userCode = request.getUrl().queryParameter("user_code");
        List<Device> matching = devices.values().stream()
            .filter(d -> d.userCode.equals(userCode)).toList();
        matching.forEach(d -> {
          d.approvedClaims = identityClaims;
          d.approvedSubject = identitySubject;
        });
        return json(matching.isEmpty() ? 404 : 200, Map.of("approved", !matching.isEmpty()));
      }
      String issuerId = path.get(0);
      if (path.get(path.size() - 2).equals(".well-known")) {
        return json(200, discovery(issuerId));
      }
      if (last.equals("device_authorization")) {
        String deviceCode = random(16);
        String userCode = random(4).toUpperCase();
        devices.put(deviceCode, new Device(issuerId,
            request.getFormParameters().get("client_id"), userCode));
        String verify = issuer(issuerId) + "/device";
        return json(200, Map.of("device_code", deviceCode, "user_code", userCode,
            "verification_uri", verify, "verification_uri_complete",
            verify + "?user_code=" + userCode, "expires_in", 600, "interval", 1));
      }
      polls.incrementAndGet();
      Device device = devices.get(request.getFormParameters().get("device_code"));
      if (device == null) {
        return json(400, Map.of("error", "invalid_grant"));
      }
      if (denied) {
        return json(400, Map.of("error", "access_denied", "error_description",
            "the user declined"));
      }
      if (slowDowns.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return json(400, Map.of("error", "slow_down"));
      }
      if (device.approvedSubject == null) {
        return json(400, Map.of("error", "authorization_pending"));
      }
      devices.remove(request.getFormParameters().get("device_code"));
      Map<String, Object> claims = new HashMap<>(device.approvedClaims);
      claims.put("sub", device.approvedSubject);
      claims.put("aud", device.clientId);
      claims.put("iss", issuer(device.issuerId));
      claims.put("jti", random(16));
      // The provider's own token maker (iat now, exp in an hour) with the issuer's key.
      String idToken = mock.getConfig().getTokenProvider()
          .jwt(claims, Duration.ofHours(1), device.issuerId).serialize();
      return json(200, Map.of("access_token", random(16), "token_type", "Bearer",
          "expires_in", 3600, "id_token", idToken));
    }
  }

  private Map<String, Object> discovery(String issuerId) {
    String issuer = issuer(issuerId);
    Map<String, Object> d = new HashMap<>();
    d.put("issuer", issuer);
    d.put("authorization_endpoint", issuer + "/authorize");
    d.put("token_endpoint", issuer + "/token");
    d.put("jwks_uri", issuer + "/jwks");
    d.put("device_authorization_endpoint", issuer + "/device_authorization");
    d.put("response_types_supported", List.of("code"));
    d.put("subject_types_supported", List.of("public"));
    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
    d.put("grant_types_supported", List.of("authorization_code", DEVICE_GRANT));
    return d;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
