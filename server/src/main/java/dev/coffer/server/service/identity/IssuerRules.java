package dev.coffer.server.service.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.IssuerPurpose;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.service.kernel.FieldRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The rules a trusted issuer's settings must meet before it is stored, with the defaults the
 * API documents (algorithms RS256 and ES256, token lifetime 24 hours, session 1 hour, clock
 * skew 60 seconds, scopes "openid profile email"). Each refusal is an INVALID_ARGUMENT naming
 * the field as the request spells it ({@code issuer.audiences}, {@code
 * issuer.bindings[0].claims[1].pattern}, ...). Security: only https issuers (http on a
 * loopback host only), asymmetric signature algorithms only (never {@code none} or HMAC),
 * public keys only in an inline JWK Set, and bindings that can never match "any subject".
 */
final class IssuerRules {

  /** The signature algorithms an issuer may use: asymmetric only. */
  static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384",
      "PS512", "ES256", "ES384", "ES512", "EdDSA");
  static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(24);
  static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(7);
  static final Duration DEFAULT_SESSION = Duration.ofHours(1);
  static final Duration MIN_SESSION = Duration.ofMinutes(1);
  static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");
  static final int MAX_JWKS_CHARS = 64 * 1024;
  private static final int MAX_URL_CHARS = 512;
  private static final int MAX_LIST = 16;
  private static final int MAX_BINDINGS = 100;
  private static final int MIN_PATTERN_LITERALS = 3;
  private static final Pattern ISSUER_ID = Pattern.compile("[a-z][a-z0-9-]{1,63}");
  private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private IssuerRules() {}

  /**
   * {@code given} checked, with defaults filled in, for {@code tenantId}.
   *
   * @param tenantMaxSession the tenant's max_token_lifetime (max_session's ceiling)
   * @param principals finds a principal of the issuer's tenant by id
   */
  static TrustedIssuer check(TrustedIssuer given, String tenantId, Duration tenantMaxSession,
      BiFunction<String, String, Optional<Principal>> principals) {
    String issuerId = given.issuerId();
    if (issuerId.isEmpty() || !ISSUER_ID.matcher(issuerId).matches()) {
      throw CofferException.invalid("issuer.issuer_id", "2-64 characters: lower-case letters, "
          + "digits and '-', starting with a letter");
    }
    String url = httpsUrl("issuer.issuer", given.issuer(), true);
    if (given.purpose() == null) {
      throw CofferException.invalid("issuer.purpose", "must be WORKLOADS or PEOPLE");
    }
    if (!given.jwksJson().isEmpty() && !given.jwksUri().isEmpty()) {
      throw CofferException.invalid("issuer.jwks_uri",
          "give jwks_json or jwks_uri, not both (neither: OpenID discovery)");
    }
    if (!given.jwksUri().isEmpty()) {
      httpsUrl("issuer.jwks_uri", given.jwksUri(), false);
    }
    if (!given.jwksJson().isEmpty()) {
      publicJwks(given.jwksJson());
    }
    List<String> audiences = texts("issuer.audiences", given.audiences(), 256);
    if (audiences.isEmpty()) {
      throw CofferException.invalid("issuer.audiences", "at least one accepted audience");
    }
    List<String> algorithms = algorithms(given.algorithms());
    Duration lifetime = within("issuer.max_token_lifetime", given.maxTokenLifetime(),
        DEFAULT_TOKEN_LIFETIME, Duration.ofMinutes(1), MAX_TOKEN_LIFETIME);
    Duration session = within("issuer.max_session", given.maxSession(),
        DEFAULT_SESSION.compareTo(tenantMaxSession) <= 0 ? DEFAULT_SESSION : tenantMaxSession,
        MIN_SESSION, tenantMaxSession);
    Duration skew = within("issuer.clock_skew", given.clockSkew(), DEFAULT_SKEW,
        Duration.ZERO, MAX_SKEW);
    TrustedIssuer.Builder checked = given.toBuilder().tenantId(tenantId).issuer(url)
        .audiences(audiences).algorithms(algorithms).maxTokenLifetime(lifetime)
        .maxSession(session).clockSkew(skew);
    if (given.purpose() == IssuerPurpose.WORKLOADS) {
      return workloads(given, tenantId, principals, checked);
    }
    return people(given, checked);
  }

  private static TrustedIssuer workloads(TrustedIssuer given, String tenantId,
      BiFunction<String, String, Optional<Principal>> principals,
      TrustedIssuer.Builder checked) {
    refuseSet("issuer.user_claim", !given.userClaim().isEmpty());
    refuseSet("issuer.required_claims", !given.requiredClaims().isEmpty());
    refuseSet("issuer.create_users", given.createUsers());
    refuseSet("issuer.client_id", !given.clientId().isEmpty());
    refuseSet("issuer.scopes", !given.scopes().isEmpty());
    if (given.bindings().isEmpty() || given.bindings().size() > MAX_BINDINGS) {
      throw CofferException.invalid("issuer.bindings", "a WORKLOADS issuer needs 1-"
          + MAX_BINDINGS + " bindings");
    }
    for (int i = 0; i < given.bindings().size(); i++) {
      ClaimBinding b = given.bindings().get(i);
      String field = "issuer.bindings[" + i + "]";
      if (b.claims().isEmpty()) {
        throw CofferException.invalid(field + ".claims",
            "at least one claim condition: a binding never matches any subject");
      }
      claims(field + ".claims", b.claims());
      FieldRules.principalId(field + ".principal_id", b.principalId());
      Optional<Principal> p = principals.apply(tenantId, b.principalId());
      if (p.isEmpty() || p.get().kind() != PrincipalKind.SERVICE) {
        throw CofferException.invalid(field + ".principal_id",
            "must name a SERVICE principal of tenant " + tenantId);
      }
    }
    return checked.build();
  }

  private static TrustedIssuer people(TrustedIssuer given, TrustedIssuer.Builder checked) {
    refuseSet("issuer.bindings", !given.bindings().isEmpty());
    if (given.userClaim().isEmpty()) {
      throw CofferException.invalid("issuer.user_claim",
          "a PEOPLE issuer needs the claim naming the user (e.g. preferred_username)");
    }
    FieldRules.optionalText("issuer.user_claim", given.userClaim(), 128);
    if (given.clientId().isEmpty()) {
      throw CofferException.invalid("issuer.client_id",
          "a PEOPLE issuer needs the OAuth client id the CLI signs in with");
    }
    FieldRules.optionalText("issuer.client_id", given.clientId(), 256);
    claims("issuer.required_claims", given.requiredClaims());
    List<String> scopes = given.scopes().isEmpty() ? DEFAULT_SCOPES : given.scopes();
    if (scopes.size() > MAX_LIST) {
      throw CofferException.invalid("issuer.scopes", "at most " + MAX_LIST + " scopes");
    }
    for (String s : scopes) {
      if (!SCOPE.matcher(s).matches()) {
        throw CofferException.invalid("issuer.scopes",
            "each scope is 1-64 printable ASCII characters without space, '\"' or '\\'");
      }
    }
    return checked.scopes(scopes).build();
  }

  private static void claims(String field, List<ClaimMatch> claims) {
    if (claims.size() > MAX_LIST) {
      throw CofferException.invalid(field, "at most " + MAX_LIST + " claim conditions");
    }
    for (int i = 0; i < claims.size(); i++) {
      ClaimMatch m = claims.get(i);
      String f = field + "[" + i + "]";
      if (m.claim().isEmpty()) {
        throw CofferException.invalid(f + ".claim", "must name a claim");
      }
      FieldRules.optionalText(f + ".claim", m.claim(), 128);
      if (m.equals().isEmpty() == m.pattern().isEmpty()) {
        throw CofferException.invalid(f, "give exactly one of equals or pattern");
      }
      FieldRules.optionalText(f + ".equals", m.equals(), 512);
      FieldRules.optionalText(f + ".pattern", m.pattern(), 512);
      if (!m.pattern().isEmpty() && (ClaimMatch.literalPrefixLength(m.pattern())
          < MIN_PATTERN_LITERALS || m.pattern().contains("**"))) {
        throw CofferException.invalid(f + ".pattern", "needs at least " + MIN_PATTERN_LITERALS
            + " literal characters before its first '*', and no '**'");
      }
    }
  }

  private static void refuseSet(String field, boolean set) {
    if (set) {
      throw CofferException.invalid(field, "does not apply to this issuer's purpose");
    }
  }

  /** An https URL (or http on a loopback host), without user info, query or fragment. */
  static String httpsUrl(String field, String value, boolean issuer) {
    if (value == null || value.isEmpty()) {
      throw CofferException.invalid(field, "must not be empty");
    }
    if (value.length() > MAX_URL_CHARS) {
      throw CofferException.invalid(field, "must be at most " + MAX_URL_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw CofferException.invalid(field, "must be an absolute https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (!uri.isAbsolute() || host == null || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null || (issuer && uri.getRawQuery() != null)) {
      throw CofferException.invalid(field,
          "must be an absolute https URL with a host and no user info, query or fragment");
    }
    boolean loopback = LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      throw CofferException.invalid(field, "must use https (http only on a loopback host)");
    }
    return value;
  }

  /** Parses an inline JWK Set and refuses private, symmetric or no keys. */
  static JWKSet publicJwks(String json) {
    if (json.length() > MAX_JWKS_CHARS) {
      throw CofferException.invalid("issuer.jwks_json",
          "must be at most " + MAX_JWKS_CHARS + " characters");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw CofferException.invalid("issuer.jwks_json", "is not a valid JWK Set (RFC 7517)");
    }
    if (set.getKeys().isEmpty()) {
      throw CofferException.invalid("issuer.jwks_json", "holds no key");
    }
    for (JWK key : set.getKeys()) {
      if (KeyType.OCT.equals(key.getKeyType())) {
        throw CofferException.invalid("issuer.jwks_json",
            "holds a symmetric (oct) key: only public RSA, EC or OKP keys are accepted");
      }
      if (key.isPrivate()) {
        throw CofferException.invalid("issuer.jwks_json",
            "holds a private key: give the public keys only, and replace the leaked one");
      }
    }
    return set;
  }

  private static List<String> algorithms(List<String> given) {
    if (given.isEmpty()) {
      return DEFAULT_ALGORITHMS;
    }
    Set<String> seen = new HashSet<>();
    for (String alg : given) {
      if (!ALGORITHMS.contains(alg)) {
        throw CofferException.invalid("issuer.algorithms", "accepted: RS256, RS384, RS512, "
            + "PS256, PS384, PS512, ES256, ES384, ES512, EdDSA (never none or HMAC)");
      }
      if (!seen.add(alg)) {
        throw CofferException.invalid("issuer.algorithms", "lists an algorithm twice");
      }
    }
    return List.copyOf(given);
  }

  private static List<String> texts(String field, List<String> values, int max) {
    if (values.size() > MAX_LIST) {
      throw CofferException.invalid(field, "at most " + MAX_LIST + " values");
    }
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(FieldRules.displayText(field, v, max));
    }
    return out;
  }

  private static Duration within(String field, Duration given, Duration dflt, Duration min,
      Duration max) {
    Duration d = given == null ? dflt : given;
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw CofferException.invalid(field, "must be between " + min.getSeconds() + " and "
          + max.getSeconds() + " seconds");
    }
    return d;
  }
}
