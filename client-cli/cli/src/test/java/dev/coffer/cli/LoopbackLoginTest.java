package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.coffer.api.v1.ListLoginIssuersRequest;
import dev.coffer.api.v1.ListLoginIssuersResponse;
import dev.coffer.api.v1.LoginIssuer;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.client.FakeCofferServer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer login} with the authorization code flow and PKCE against a real OpenID provider
 * on 127.0.0.1 (mock-oauth2-server, non-interactive login): the CLI prints the URL and waits; the
 * test plays the browser with {@code java.net.http}, following the provider's redirect to the
 * CLI's loopback listener.
 */
@Timeout(60)
class LoopbackLoginTest {

  private static final Pattern URL = Pattern.compile("\\n  (http://127\\.0\\.0\\.1\\S+)\\n");

  @TempDir Path dir;

  /**
   * Runs {@code coffer login --tenant acme} in the background against {@code server}, waits for
   * the URL it prints, and hands it to {@code browser}; the exit code and stderr.
   */
  static Map.Entry<Integer, String> loginThroughBrowser(Function<CofferContext, Integer> runner,
      Function<URI, Void> browser) throws Exception {
    StringWriter err = new StringWriter();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit = pool.submit(() -> runner.apply(new CofferContext(err)));
      String url = null;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (url == null && System.nanoTime() < until && !exit.isDone()) {
        Matcher m = URL.matcher(err.toString());
        url = m.find() ? m.group(1) : null;
        Thread.onSpinWait();
      }
      if (url != null) {
        try {
          browser.apply(URI.create(url));
        } catch (RuntimeException e) {
          throw new AssertionError("the browser failed at " + url + "; the CLI said: " + err, e);
        }
      }
      return Map.entry(exit.get(30, TimeUnit.SECONDS), err.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The stderr of one run, handed to the runner. */
  record CofferContext(StringWriter err) {
    PrintWriter errWriter() {
      return new PrintWriter(err, true);
    }
  }

  /** What a browser does: GET the URL and follow the redirects (to the CLI's listener). */
  static Void browse(URI uri) {
    try {
      HttpResponse<String> r = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10))
          .build().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (!r.body().contains("sign-in received")) {
        throw new IllegalStateException("the listener said: " + r.statusCode());
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theCodeFlowWithPkce_signsThePersonIn_andExchangesTheCheckedIdToken() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider();
        FakeCofferServer server = new FakeCofferServer()) {
      provider.mock.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "alice", "JWT",
          List.of("coffer-cli"), Map.of("preferred_username", "alice"), 3600));
      server.answer = req -> req instanceof ListLoginIssuersRequest
          ? ListLoginIssuersResponse.newBuilder().addIssuers(LoginIssuer.newBuilder()
              .setIssuerId("corp").setIssuer(provider.issuer("corp")).setClientId("coffer-cli"))
              .build()
          : LoginCommandsTest.loginResponse("cfr_at_PERSON");
      Path config = dir.resolve("config");
      URI[] seen = new URI[1];
      Map.Entry<Integer, String> result = loginThroughBrowser(
          c -> CofferCli.run(CliContext.builder().out(new PrintWriter(new StringWriter()))
              .err(c.errWriter()).in(new BufferedReader(new StringReader("")))
              .env(Map.of(SessionFile.ENV_CONFIG_DIR, config.toString()))
              .connector(server::connect).build(), "login", "--tenant", "acme"),
          uri -> {
            seen[0] = uri;
            return browse(uri);
          });
      assertEquals(0, result.getKey(), result.getValue());
      Map<String, String> query = query(seen[0]);
      assertEquals("S256", query.get("code_challenge_method"));
      assertTrue(query.get("code_challenge").length() >= 43, query.toString());
      assertTrue(query.get("redirect_uri").startsWith("http://127.0.0.1:"), query.toString());
      assertEquals("code", query.get("response_type"));
      assertTrue(query.get("scope").contains("openid"), query.toString());
      LoginRequest r = server.last(LoginRequest.class);
      assertEquals(LoginCommand.TYPE_ID_TOKEN, r.getSubjectTokenType());
      JWTClaimsSet claims = SignedJWT.parse(r.getSubjectToken()).getJWTClaimsSet();
      assertEquals(provider.issuer("corp"), claims.getIssuer());
      assertEquals("alice", claims.getClaim("preferred_username"));
      assertEquals(query.get("nonce"), claims.getClaim("nonce"));
      assertTrue(Files.readString(config.resolve(SessionFile.FILE_NAME))
          .contains("cfr_at_PERSON"));
      assertFalse(result.getValue().contains(r.getSubjectToken()));
    }
  }

  @Test
  void aRedirectWithTheWrongState_isRefused_andNothingIsExchanged() throws Exception {
    try (OidcTestProvider provider = new OidcTestProvider();
        FakeCofferServer server = new FakeCofferServer()) {
      server.answer = req -> ListLoginIssuersResponse.newBuilder().addIssuers(LoginIssuer
          .newBuilder().setIssuerId("corp").setIssuer(provider.issuer("corp"))
          .setClientId("coffer-cli")).build();
      Map.Entry<Integer, String> result = loginThroughBrowser(
          c -> CofferCli.run(CliContext.builder().out(new PrintWriter(new StringWriter()))
              .err(c.errWriter()).env(Map.of(SessionFile.ENV_CONFIG_DIR,
                  dir.resolve("config").toString()))
              .connector(server::connect).build(), "login", "--tenant", "acme"),
          uri -> {
            // A forged redirect straight to the listener: a code, but not our state.
            String redirect = query(uri).get("redirect_uri");
            return browseQuietly(URI.create(redirect + "?code=stolen&state=forged"));
          });
      assertEquals(ExitCodes.UNAUTHENTICATED, result.getKey(), result.getValue());
      assertTrue(result.getValue().contains("state does not match"), result.getValue());
      assertEquals(1, server.requests.size(), "ListLoginIssuers only, no Login");
      assertFalse(Files.exists(dir.resolve("config").resolve(SessionFile.FILE_NAME)));
    }
  }

  private static Void browseQuietly(URI uri) {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
