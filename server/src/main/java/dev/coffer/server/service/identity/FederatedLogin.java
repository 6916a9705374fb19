package dev.coffer.server.service.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.IssuerPurpose;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.LockStripes;
import dev.coffer.server.service.operator.AuthFailureAudit;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.IdTokenReplayRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in with a trusted issuer's JWT (token exchange in the style of RFC 8693): verifies it
 * ({@link FederatedTokenVerifier}), maps it to a principal, and mints a short-lived Coffer
 * access token through {@link Tokens#mint}. WORKLOADS: the first binding whose conditions all
 * match names a SERVICE principal. PEOPLE: the required claims must match, and the user claim's
 * value (a valid principal id) names a USER principal, created (never an admin) on first
 * sign-in when the issuer says so. ID tokens of PEOPLE issuers are single-use: their jti (or
 * the token's digest) is kept until exp plus the skew. The token's lifetime is the least of the
 * requested ttl, the issuer's max_session, the tenant's max_token_lifetime and the JWT's own
 * remaining life. The principal (if created), the token, the replay entry and the audit event
 * (actor = the principal, reason = the issuer's resource name) commit in one synced batch.
 *
 * <p>Every refusal is UNAUTHENTICATED ({@link Reason#LOGIN_REFUSED}) with the failure's name in
 * the error's metadata, a FEDERATED_LOGIN / FAILED audit event through {@link AuthFailureAudit}
 * (rate limited per peer) and a count for metrics. Security: the JWT never reaches a log,
 * event, message or metric; the system administrator never signs in this way.
 */
public final class FederatedLogin {

  public static final String TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";
  public static final String TYPE_ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
  private static final Duration MIN_SESSION = Duration.ofSeconds(1);

  /** Hears of each sign-in's outcome (null failure: signed in), for metrics. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = failure -> { };

    void loggedIn(LoginFailure failureOrNull);
  }

  /** One sign-in request as the caller gave it, with where it came from. */
  public record Request(String tenantId, String subjectToken, String subjectTokenType,
      Duration ttl, String description, String requestId, SocketAddress peer) {
    /** Never the JWT. */
    @Override
    public String toString() {
      return "Request[tenant=" + tenantId + ", subjectToken=<redacted>, requestId=" + requestId
          + "]";
    }
  }

  /** A signed-in caller: the new token (value shown once), its principal and the issuer. */
  public record Result(Tokens.Issued issued, Principal principal, TrustedIssuer issuer) {}

  private final FederatedTokenVerifier verifier;
  private final TenantRepository tenants;
  private final IdTokenReplayRepository replays;
  private final Tokens tokens;
  private final AuthFailureAudit failures;
  private final AuditLog audit;
  private final Clock clock;
  private final Listener listener;
  private final LockStripes stripes = new LockStripes(64);

  public FederatedLogin(FederatedTokenVerifier verifier, TenantRepository tenants,
      IdTokenReplayRepository replays, Tokens tokens, AuthFailureAudit failures,
      Governance gov, Listener listener) {
    this.verifier = verifier;
    this.tenants = tenants;
    this.replays = replays;
    this.tokens = tokens;
    this.failures = failures;
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.listener = listener;
  }

  /**
   * Exchanges {@code req}'s JWT for a Coffer access token.
   *
   * @throws CofferException INVALID_FIELD for a malformed request; LOGIN_REFUSED for a JWT
   *     that does not sign in, with metadata {@code failure}
   */
  public Result login(Request req) {
    String tenantId = FieldRules.tenantId("tenant_id", req.tenantId());
    String token = req.subjectToken();
    if (token == null || token.isEmpty()) {
      throw CofferException.invalid("subject_token", "must not be empty");
    }
    if (token.length() > FederatedTokenVerifier.MAX_TOKEN_CHARS) {
      throw CofferException.invalid("subject_token",
          "must be at most " + FederatedTokenVerifier.MAX_TOKEN_CHARS + " characters");
    }
    String type = req.subjectTokenType() == null ? "" : req.subjectTokenType();
    if (!type.isEmpty() && !type.equals(TYPE_JWT) && !type.equals(TYPE_ID_TOKEN)) {
      throw CofferException.invalid("subject_token_type", "must be " + TYPE_JWT + " or "
          + TYPE_ID_TOKEN);
    }
    String description = FieldRules.optionalText("description", req.description(), 200);
    if (req.ttl() != null && req.ttl().compareTo(Duration.ofMinutes(1)) < 0) {
      throw CofferException.invalid("ttl", "must be at least 1 minute");
    }
    Optional<Tenant> tenant = tenants.tenant(tenantId);
    TrustedIssuer issuer = null;
    try {
      if (tenant.isEmpty()) {
        throw new LoginRefused(LoginFailure.UNKNOWN_ISSUER, "the tenant has no such issuer");
      }
      FederatedTokenVerifier.Parsed parsed = verifier.parse(token);
      issuer = verifier.issuerOf(tenantId, parsed);
      JWTClaimsSet claims = verifier.verify(issuer, parsed);
      Result result = signIn(tenant.get(), issuer, claims, token, req.ttl(), description, req);
      listener.loggedIn(null);
      return result;
    } catch (LoginRefused refused) {
      listener.loggedIn(refused.failure());
      failures.recordLogin(tenant.isPresent() ? tenantId : "", refused.failure().name(),
          issuer == null ? "" : issuer.resourceName(), req.peer(), req.requestId());
      throw new CofferException(Reason.LOGIN_REFUSED, "sign-in refused ("
          + refused.failure().name() + "): " + refused.getMessage(),
          Map.of("failure", refused.failure().name()));
    }
  }

  private Result signIn(Tenant tenant, TrustedIssuer issuer, JWTClaimsSet claims, String token,
      Duration ttl, String description, Request req) {
    String principalId = issuer.purpose() == IssuerPurpose.WORKLOADS
        ? boundService(issuer, claims) : person(issuer, claims);
    Instant exp = claims.getExpirationTime().toInstant();
    synchronized (stripes.of(tenant.tenantId() + "/" + principalId)) {
      Changes changes = new Changes();
      boolean created = tenants.principal(tenant.tenantId(), principalId).isEmpty();
      Principal principal = principal(issuer, principalId, changes);
      if (issuer.purpose() == IssuerPurpose.PEOPLE) {
        String digest = replayDigest(claims, token);
        if (replays.seen(tenant.tenantId(), issuer.issuerId(), digest)) {
          throw new LoginRefused(LoginFailure.REPLAYED, "the ID token was exchanged before");
        }
        replays.stage(changes, tenant.tenantId(), issuer.issuerId(), digest,
            exp.plus(issuer.clockSkew()));
      }
      Instant now = clock.instant();
      Duration lifetime = least(ttl == null ? issuer.maxSession() : ttl, issuer.maxSession(),
          tenant.policy().maxTokenLifetime(), Duration.between(now, exp));
      if (lifetime.compareTo(MIN_SESSION) < 0) {
        throw new LoginRefused(LoginFailure.EXPIRED, "the token expires too soon");
      }
      Tokens.Issued issued = tokens.mint(changes, tenant.tenantId(), principalId, lifetime,
          description);
      String tokenName = principal.resourceName() + "/tokens/" + issued.token().tokenId();
      String requestId = req.requestId() == null ? "" : req.requestId();
      String peer = req.peer() == null ? "" : req.peer().toString();
      try {
        audit.commit(changes, new AuditEvent(now, tenant.tenantId(), principalId,
            AuditAction.FEDERATED_LOGIN, tokenName, AuditEvent.ALLOWED, issuer.resourceName(),
            requestId, peer));
      } catch (CofferException e) {
        if (e.reason() == Reason.CONCURRENT_CHANGE && issuer.purpose() == IssuerPurpose.PEOPLE
            && replays.seen(tenant.tenantId(), issuer.issuerId(), replayDigest(claims, token))) {
          // another node (or call) exchanged the same ID token first
          throw new LoginRefused(LoginFailure.REPLAYED, "the ID token was exchanged before");
        }
        throw e;
      }
      if (created) {
        audit.record(new AuditEvent(now, tenant.tenantId(), principalId,
            AuditAction.PRINCIPAL_CREATE, principal.resourceName(), AuditEvent.ALLOWED,
            "FIRST_FEDERATED_SIGN_IN", requestId, peer));
      }
      return new Result(issued, principal, issuer);
    }
  }

  /** The SERVICE principal id of the first binding whose conditions all match. */
  private static String boundService(TrustedIssuer issuer, JWTClaimsSet claims) {
    Map<String, String> values = new HashMap<>();
    for (ClaimBinding b : issuer.bindings()) {
      for (ClaimMatch m : b.claims()) {
        values.computeIfAbsent(m.claim(), c -> FederatedTokenVerifier.claimString(claims, c));
      }
      if (b.matches(values)) {
        return b.principalId();
      }
    }
    throw new LoginRefused(LoginFailure.NO_BINDING, "no binding of the issuer matches");
  }

  /** The USER principal id a person's ID token names. */
  private static String person(TrustedIssuer issuer, JWTClaimsSet claims) {
    for (ClaimMatch m : issuer.requiredClaims()) {
      if (!m.matches(FederatedTokenVerifier.claimString(claims, m.claim()))) {
        throw new LoginRefused(LoginFailure.NO_BINDING, "a required claim does not match");
      }
    }
    String id = FederatedTokenVerifier.claimString(claims, issuer.userClaim());
    if (id == null || id.isEmpty()) {
      throw new LoginRefused(LoginFailure.MISSING_CLAIM, "the token lacks the user claim");
    }
    try {
      return FieldRules.principalId("user_claim", id);
    } catch (CofferException e) {
      throw new LoginRefused(LoginFailure.INVALID_PRINCIPAL_ID,
          "the user claim's value is not a valid principal id");
    }
  }

  /** The principal signed in as; a person's is staged into {@code changes} when new. */
  private Principal principal(TrustedIssuer issuer, String principalId, Changes changes) {
    PrincipalKind kind = issuer.purpose() == IssuerPurpose.WORKLOADS ? PrincipalKind.SERVICE
        : PrincipalKind.USER;
    Optional<Principal> found = tenants.principal(issuer.tenantId(), principalId);
    if (found.isPresent()) {
      Principal p = found.get();
      if (p.kind() != kind || p.systemAdmin()) {
        throw new LoginRefused(LoginFailure.PRINCIPAL_NOT_FOUND, "the principal the token "
            + "maps to is not a " + kind + " principal that may sign in through federation");
      }
      return p;
    }
    if (kind == PrincipalKind.USER && issuer.createUsers()) {
      Principal created = new Principal(issuer.tenantId(), principalId, PrincipalKind.USER,
          false, false, clock.instant());
      tenants.stage(changes, created);
      return created;
    }
    throw new LoginRefused(LoginFailure.PRINCIPAL_NOT_FOUND,
        "the principal the token maps to does not exist");
  }

  private static Duration least(Duration... durations) {
    Duration min = durations[0];
    for (Duration d : durations) {
      min = d.compareTo(min) < 0 ? d : min;
    }
    return min;
  }

  /** What an ID token is remembered by: its jti, or the whole token's hash without one. */
  private static String replayDigest(JWTClaimsSet claims, String token) {
    return digest(claims.getJWTID() != null ? "jti:" + claims.getJWTID() : "token:" + token);
  }

  private static String digest(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
