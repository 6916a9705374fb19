package dev.coffer.cli;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.coffer.api.v1.LoginIssuer;
import java.io.IOException;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tenant's OpenID provider as {@code coffer login} uses it, all through Nimbus's OAuth 2.0 /
 * OpenID Connect SDK: discovery of its endpoints, token requests (a public client: no client
 * secret), and the check of the ID token it returns (signature by the provider's published keys,
 * issuer, audience = our client id, expiry, and the nonce where one was sent).
 *
 * <p>Contract: every HTTP exchange is bounded ({@link #TIMEOUT} to connect and to read); a
 * provider failure is a {@link CliFailure} with exit {@link ExitCodes#UNAUTHENTICATED} naming the
 * provider's error code and description. Security: codes, verifiers and tokens never appear in
 * a message.
 */
final class OidcProvider {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final Issuer issuer;
  final ClientID clientId;
  final Scope scope;
  final OIDCProviderMetadata metadata;

  private OidcProvider(Issuer issuer, ClientID clientId, Scope scope,
      OIDCProviderMetadata metadata) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.scope = scope;
    this.metadata = metadata;
  }

  /** Reads the provider's discovery document ({issuer}/.well-known/openid-configuration). */
  static OidcProvider discover(LoginIssuer login) {
    if (login.getClientId().isEmpty()) {
      throw new CliFailure(ExitCodes.FAILED_PRECONDITION, "issuer " + login.getIssuerId()
          + " has no OAuth client id for the CLI: a tenant admin sets it (--client-id)");
    }
    Issuer issuer = new Issuer(login.getIssuer());
    OIDCProviderMetadata metadata;
    try {
      metadata = OIDCProviderMetadata.resolve(issuer, millis(), millis());
    } catch (GeneralException | IOException e) {
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot read the OpenID configuration of "
          + login.getIssuer() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    List<String> scopes = login.getScopesList().isEmpty()
        ? List.of("openid", "profile", "email") : login.getScopesList();
    Scope scope = new Scope(scopes.toArray(String[]::new));
    if (!scope.contains("openid")) {
      scope.add("openid");
    }
    return new OidcProvider(issuer, new ClientID(login.getClientId()), scope, metadata);
  }

  /** Sends {@code request} with bounded timeouts; the parsed response, or a failure. */
  TokenResponse send(TokenRequest request) {
    HTTPRequest http = request.toHTTPRequest();
    return OidcProvider.parse(exchange(http, "token endpoint"));
  }

  /** Sends an HTTP request with bounded timeouts; a {@link CliFailure} if it cannot. */
  static HTTPResponse exchange(HTTPRequest http, String what) {
    http.setConnectTimeout(millis());
    http.setReadTimeout(millis());
    try {
      return http.send();
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach the provider's " + what + " "
          + http.getURI() + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static TokenResponse parse(HTTPResponse response) {
    try {
      return OIDCTokenResponseParser.parse(response);
    } catch (ParseException e) {
      // Not the parser's message: it may quote the body, which holds tokens.
      throw new CliFailure(ExitCodes.UNAUTHENTICATED, "the provider's token response is not an"
          + " OpenID Connect one (HTTP " + response.getStatusCode() + ")");
    }
  }

  /**
   * The checked ID token of a successful token response; {@code nonce} is the one sent with the
   * authorization request, or {@code null} (device grant).
   */
  String idToken(TokenResponse response, Nonce nonce) {
    if (!response.indicatesSuccess()) {
      throw refused(response.toErrorResponse().getErrorObject());
    }
    if (!(response.toSuccessResponse() instanceof OIDCTokenResponse oidc)
        || oidc.getOIDCTokens().getIDTokenString() == null) {
      throw new CliFailure(ExitCodes.UNAUTHENTICATED,
          "the provider returned no ID token (is 'openid' among the issuer's scopes?)");
    }
    String idToken = oidc.getOIDCTokens().getIDTokenString();
    try {
      JWT jwt = JWTParser.parse(idToken);
      JWKSource<SecurityContext> keys =
          JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).build();
      new IDTokenValidator(issuer, clientId,
          new JWSVerificationKeySelector<>(signatureAlgorithms(), keys), null)
          .validate(jwt, nonce);
    } catch (java.text.ParseException e) {
      throw new CliFailure(ExitCodes.UNAUTHENTICATED, "the provider's ID token is not a JWT");
    } catch (MalformedURLException | com.nimbusds.jose.proc.BadJOSEException
        | com.nimbusds.jose.JOSEException e) {
      // The checks' own words ("Expired JWT", "Unexpected JWT nonce"), never the token.
      throw new CliFailure(ExitCodes.UNAUTHENTICATED,
          "the provider's ID token failed its checks (" + e.getMessage() + ")");
    }
    return idToken;
  }

  /**
   * The provider's ID token algorithms that are public-key signatures (RSA, EC, EdDSA; never
   * {@code none} or an HMAC); RS256 if it names none.
   */
  private Set<JWSAlgorithm> signatureAlgorithms() {
    List<JWSAlgorithm> named = metadata.getIDTokenJWSAlgs();
    Set<JWSAlgorithm> algs = new HashSet<>();
    if (named != null) {
      named.stream().filter(JWSAlgorithm.Family.SIGNATURE::contains).forEach(algs::add);
    }
    return algs.isEmpty() ? Set.of(JWSAlgorithm.RS256) : algs;
  }

  /** A refusal by the provider, in its own words (an error code and description, no token). */
  static CliFailure refused(ErrorObject error) {
    String description = error.getDescription() == null ? "" : ": " + error.getDescription();
    return new CliFailure(ExitCodes.UNAUTHENTICATED,
        "the provider refused the sign-in (" + error.getCode() + description + ")");
  }

  private static int millis() {
    return (int) TIMEOUT.toMillis();
  }
}
