package dev.coffer.cli;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OpenID Connect authorization code flow with PKCE (RFC 7636, S256) on a loopback redirect
 * (RFC 8252 §7.3): listens on {@code http://127.0.0.1:<ephemeral port>/callback}, prints the
 * authorization URL for the person to open (it opens nothing itself), takes the one redirect
 * that comes back, checks its {@code state}, redeems the code with the verifier and returns the
 * checked ID token (its nonce included).
 *
 * <p>Contract: waits at most {@code wait} for the redirect; the listener accepts one callback,
 * binds 127.0.0.1 only and is closed on every path. Security: the code, the verifier and the
 * tokens are never printed; the browser page says only whether sign-in worked.
 */
final class LoopbackCodeFlow {

  private final OidcProvider provider;
  private final PrintWriter err;
  private final Duration wait;

  LoopbackCodeFlow(OidcProvider provider, PrintWriter err, Duration wait) {
    this.provider = provider;
    this.err = err;
    this.wait = wait;
  }

  /** Runs the flow; the ID token. */
  String signIn() {
    CompletableFuture<URI> callback = new CompletableFuture<>();
    HttpServer listener = listen(callback);
    try {
      URI redirect = URI.create("http://127.0.0.1:" + listener.getAddress().getPort()
          + "/callback");
      CodeVerifier verifier = new CodeVerifier();
      State state = new State();
      Nonce nonce = new Nonce();
      URI authorize = new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
          provider.scope, provider.clientId, redirect)
          .endpointURI(provider.metadata.getAuthorizationEndpointURI())
          .state(state)
          .nonce(nonce)
          .codeChallenge(verifier, CodeChallengeMethod.S256)
          .build()
          .toURI();
      err.println("Open this URL in a browser to sign in at " + provider.issuer + ":");
      err.println();
      err.println("  " + authorize);
      err.println();
      err.println("Waiting up to " + Printer.duration(com.google.protobuf.Duration.newBuilder()
          .setSeconds(wait.getSeconds()).build()) + " for the sign-in to finish...");
      err.flush();
      AuthorizationCode code = code(await(callback), state);
      TokenRequest request = new TokenRequest(provider.metadata.getTokenEndpointURI(),
          provider.clientId, new AuthorizationCodeGrant(code, redirect, verifier));
      return provider.idToken(provider.send(request), nonce);
    } finally {
      listener.stop(0);
    }
  }

  private URI await(CompletableFuture<URI> callback) {
    try {
      return callback.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CliFailure(ExitCodes.UNAUTHENTICATED, "no sign-in within " + wait.toSeconds()
          + " s; run coffer login again (or use --device on a machine without a browser)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCodes.OTHER, "interrupted while waiting for the sign-in");
    } catch (ExecutionException e) {
      throw new CliFailure(ExitCodes.OTHER, "the sign-in listener failed");
    }
  }

  /** The code of a successful redirect with our state; a refusal otherwise. */
  private static AuthorizationCode code(URI redirect, State state) {
    AuthenticationResponse response;
    try {
      response = AuthenticationResponseParser.parse(redirect);
    } catch (ParseException e) {
      // Not the parser's message: it may quote the redirect, which holds the code.
      throw new CliFailure(ExitCodes.UNAUTHENTICATED, "the provider's redirect could not be read");
    }
    if (!response.indicatesSuccess()) {
      throw OidcProvider.refused(response.toErrorResponse().getErrorObject());
    }
    AuthenticationSuccessResponse success = response.toSuccessResponse();
    if (!state.equals(success.getState())) {
      throw new CliFailure(ExitCodes.UNAUTHENTICATED,
          "the redirect's state does not match this sign-in; refusing it");
    }
    if (success.getAuthorizationCode() == null) {
      throw new CliFailure(ExitCodes.UNAUTHENTICATED, "the redirect carries no code");
    }
    return success.getAuthorizationCode();
  }

  private static HttpServer listen(CompletableFuture<URI> callback) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.OTHER, "cannot listen on 127.0.0.1 for the sign-in redirect"
          + " (" + e.getClass().getSimpleName() + "); try --device");
    }
    server.createContext("/callback", exchange -> {
      int port = exchange.getLocalAddress().getPort();
      URI received = URI.create("http://127.0.0.1:" + port + exchange.getRequestURI());
      // Answer the browser before handing the redirect on: the flow then closes this listener.
      respond(exchange, callback.isDone() ? "Coffer: this sign-in was already received."
          : "Coffer: sign-in received; the terminal says whether it worked. You may close this"
              + " tab.");
      callback.complete(received);
    });
    server.start();
    return server;
  }

  private static void respond(HttpExchange exchange, String text) throws IOException {
    byte[] body = ("<!doctype html><title>Coffer</title><p>" + text + "</p>")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
