package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.LookupKeys;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Decision;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.IdGenerator;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TokenRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Issues, revokes and checks bearer access tokens. A token's value is generated here,
 * returned once, and stored only as a keyed lookup key; checks are made against the clock
 * at the moment of each call, so an expired or revoked token stops working at once.
 */
public final class Tokens {

  public static final Duration DEFAULT_TTL = Duration.ofDays(30);
  private static final Duration MIN_TTL = Duration.ofMinutes(1);

  /**
   * A newly issued token and its value, which the caller must show once and close.
   *
   * @param revokedTokens how many of the target's tokens the issuance revoked
   */
  public record Issued(AccessToken token, SecretValue value, int revokedTokens) {
    public Issued(AccessToken token, SecretValue value) {
      this(token, value, 0);
    }
  }

  /** A bearer token's principal and the token itself (its id, never its value). */
  public record Authenticated(Principal principal, AccessToken token) {}

  private final TokenRepository tokens;
  private final TenantRepository tenants;
  private final SecretGenerator generator;
  private final LookupKeys lookupKeys;
  private final IdGenerator ids;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final LifecycleEvents events;

  public Tokens(TokenRepository tokens, TenantRepository tenants, SecretGenerator generator,
      LookupKeys lookupKeys, IdGenerator ids, Governance gov, LifecycleEvents events) {
    this.tokens = tokens;
    this.tenants = tenants;
    this.generator = generator;
    this.lookupKeys = lookupKeys;
    this.ids = ids;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.events = events;
  }

  /**
   * Issues a token for {@code principalId} by the rules of {@link AccessPolicy#issueToken}.
   * A token for someone other than the caller is never silent: it is an audit event in the
   * target's tenant naming the target (and, across tenants, one in the caller's), a
   * lifecycle notice the target (and a service's owner) sees, and for a USER it revokes
   * every token the user holds in the same batch, as a password reset would.
   *
   * <p>This is the admin path. In a tenant whose policy has {@code federatedUserSignInOnly}
   * it refuses every USER target, the caller itself included (FEDERATED_SIGN_IN_REQUIRED,
   * audited like any denial): the identity Login, which mints through {@link #mint} without
   * this check, is then the one way a person gets a token. A token for a USER commits only
   * while the tenant record is still the one the decision read, so it never lands after a
   * concurrent switch of that policy (CONCURRENT_CHANGE instead).
   *
   * @param ttl null for the default (30 days)
   */
  public synchronized Issued issue(CallContext ctx, String tenantId, String principalId,
      Duration ttl, String description) {
    String tenant = Principals.targetTenant(ctx, tenantId);
    FieldRules.principalId("principal_id", principalId);
    FieldRules.optionalText("description", description, 200);
    String targetName = "tenants/" + tenant + "/principals/" + principalId;
    if (!tenant.equals(ctx.tenantId())) {
      enforcer.require(ctx, policy.managePrincipals(ctx.caller(), tenant),
          AuditAction.TOKEN_ISSUE, targetName);
    }
    Tenant t = tenants.tenant(tenant).orElseThrow(() ->
        new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + tenant + " not found"));
    Principal target = tenants.principal(tenant, principalId).orElseThrow(() ->
        new CofferException(Reason.PRINCIPAL_NOT_FOUND,
            "principal " + principalId + " not found in tenant " + tenant));
    Decision decision = policy.issueToken(ctx.caller(), target, t);
    if (!decision.allowed() && !tenant.equals(ctx.tenantId())) {
      audit.record(inTargetTenant(ctx, target, targetName, AuditEvent.DENIED,
          decision.reason().name()));
    }
    enforcer.require(ctx, decision, AuditAction.TOKEN_ISSUE, targetName);
    Duration lifetime = checkTtl(ttl, t.policy().maxTokenLifetime());
    boolean forOther = !isSelf(ctx, target);
    Changes changes = new Changes();
    int revoked = 0;
    if (target.kind() == PrincipalKind.USER) {
      tenants.guard(changes, t);
    }
    boolean resets = forOther && target.kind() == PrincipalKind.USER;
    Optional<String> previousReset = resets ? tokens.issuedFor(tenant, principalId)
        : Optional.empty();
    if (resets) {
      Instant now = clock.instant();
      for (AccessToken existing : tokens.activeOf(tenant, principalId, now)) {
        tokens.stage(changes, existing.revokedAt(now));
        revoked++;
      }
    }
    Issued minted = mint(changes, tenant, principalId, lifetime, description);
    if (resets) {
      tokens.stageIssuedFor(changes, minted.token(), previousReset);
    }
    Issued issued = new Issued(minted.token(), minted.value(), revoked);
    String tokenName = targetName + "/tokens/" + issued.token().tokenId();
    String why = !forOther ? "" : revoked > 0 ? "FOR_OTHER_REVOKED_EXISTING" : "FOR_OTHER";
    audit.commit(changes, inTargetTenant(ctx, target, tokenName, AuditEvent.ALLOWED, why));
    if (!tenant.equals(ctx.tenantId())) {
      audit.record(enforcer.event(ctx, AuditAction.TOKEN_ISSUE, tokenName, AuditEvent.ALLOWED,
          why));
    }
    if (forOther) {
      events.credentialIssued(target, issued.token(), revoked, issued.token().createTime());
    }
    return issued;
  }

  /** A page of {@code principalId}'s tokens (metadata only), for it, its owner or an admin. */
  public Page<AccessToken> list(CallContext ctx, String tenantId, String principalId,
      String pageToken, int size) {
    String tenant = Principals.targetTenant(ctx, tenantId);
    String id = principalId == null || principalId.isEmpty() ? ctx.actor() : principalId;
    FieldRules.principalId("principal_id", id);
    String targetName = "tenants/" + tenant + "/principals/" + id;
    if (!tenant.equals(ctx.tenantId())) {
      enforcer.require(ctx, policy.managePrincipals(ctx.caller(), tenant),
          AuditAction.TOKEN_LIST, targetName);
    }
    Principal target = tenants.principal(tenant, id).orElseThrow(() ->
        new CofferException(Reason.PRINCIPAL_NOT_FOUND,
            "principal " + id + " not found in tenant " + tenant));
    enforcer.require(ctx, policy.listTokens(ctx.caller(), target), AuditAction.TOKEN_LIST,
        targetName);
    return tokens.listOf(tenant, id, pageToken, size);
  }

  private static boolean isSelf(CallContext ctx, Principal target) {
    return target.tenantId().equals(ctx.tenantId()) && target.principalId().equals(ctx.actor());
  }

  /** A TOKEN_ISSUE event in the target's tenant; the actor is tenant-qualified across tenants. */
  private AuditEvent inTargetTenant(CallContext ctx, Principal target, String name,
      String outcome, String reason) {
    String actor = target.tenantId().equals(ctx.tenantId()) ? ctx.actor()
        : ctx.caller().resourceName();
    return new AuditEvent(clock.instant(), target.tenantId(), actor, AuditAction.TOKEN_ISSUE,
        name, outcome, reason, ctx.requestId(), ctx.peer());
  }

  /**
   * Stages a new token for {@code principalId} with exactly {@code ttl}; used by
   * {@link #issue}, bootstrap and federated sign-in, each of which checks who may have it and
   * commits {@code changes} with its audit event. The value is returned once, never stored. It
   * asks no policy: the tenant switch {@code federatedUserSignInOnly} is checked in
   * {@link #issue} only, so a federated sign-in minting here is not blocked by it.
   */
  public Issued mint(Changes changes, String tenantId, String principalId, Duration ttl,
      String description) {
    SecretValue value = generator.generate(ValueFormat.ACCESS_TOKEN);
    Instant now = clock.instant();
    AccessToken token = new AccessToken(ids.next("tok_"), tenantId, principalId, now,
        now.plus(ttl), null, description == null ? "" : description,
        lookupKeys.primary(value));
    tokens.stage(changes, token);
    return new Issued(token, value);
  }

  public AccessToken revoke(CallContext ctx, String tokenId) {
    FieldRules.opaqueId("name", tokenId);
    AccessToken token = tokens.byId(tokenId)
        .filter(t -> ctx.caller().systemAdmin() || t.tenantId().equals(ctx.tenantId()))
        .orElseThrow(() -> new CofferException(Reason.TOKEN_NOT_FOUND,
            "token " + tokenId + " not found"));
    boolean self = token.tenantId().equals(ctx.tenantId())
        && token.principalId().equals(ctx.actor());
    if (!self) {
      enforcer.require(ctx, policy.managePrincipals(ctx.caller(), token.tenantId()),
          AuditAction.TOKEN_REVOKE, "tokens/" + tokenId);
    }
    if (token.isRevoked()) {
      return token;
    }
    AccessToken revoked = token.revokedAt(clock.instant());
    Changes changes = new Changes();
    tokens.stage(changes, revoked);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.TOKEN_REVOKE, "tokens/" + tokenId));
    return revoked;
  }

  /**
   * The principal a presented bearer token stands for, checked at this instant.
   *
   * @throws CofferException UNAUTHENTICATED, TOKEN_EXPIRED or TOKEN_REVOKED
   */
  public Principal authenticate(SecretValue presented) {
    return authenticateToken(presented).principal();
  }

  /**
   * As {@link #authenticate}, with the token's metadata (its id lets a long-lived call
   * re-check it). A principal's first successful sign-in is recorded once, with its tenant's
   * (see {@link AccessPolicy#issueToken}).
   */
  public Authenticated authenticateToken(SecretValue presented) {
    if (!ValueFormat.ACCESS_TOKEN.isWellFormed(presented)) {
      throw new CofferException(Reason.UNAUTHENTICATED,
          "the bearer token is malformed (expected cfr_at_... with a valid checksum)");
    }
    AccessToken token = find(presented).orElseThrow(() ->
        new CofferException(Reason.UNAUTHENTICATED, "the bearer token is not valid"));
    checkLive(token);
    Principal principal = tenants.principal(token.tenantId(), token.principalId()).orElseThrow(
        () -> new CofferException(Reason.UNAUTHENTICATED,
            "the token's principal no longer exists"));
    return new Authenticated(signedIn(principal), token);
  }

  /**
   * Re-checks, at this instant, a token that authenticated a long-lived call.
   *
   * @throws CofferException TOKEN_REVOKED or TOKEN_EXPIRED (UNAUTHENTICATED), or
   *     UNAUTHENTICATED when the token no longer exists
   */
  public void recheck(String tokenId) {
    checkLive(tokens.byId(tokenId).orElseThrow(() ->
        new CofferException(Reason.UNAUTHENTICATED, "the bearer token is not valid")));
  }

  private void checkLive(AccessToken token) {
    if (token.isRevoked()) {
      throw new CofferException(Reason.TOKEN_REVOKED, "the bearer token was revoked");
    }
    if (token.isExpiredAt(clock.instant())) {
      throw new CofferException(Reason.TOKEN_EXPIRED, "the bearer token has expired");
    }
  }

  /** Records a principal's first sign-in (and its tenant's) once; later calls read only. */
  private Principal signedIn(Principal principal) {
    if (principal.hasSignedIn()) {
      return principal;
    }
    synchronized (this) {
      Principal current = tenants.principal(principal.tenantId(), principal.principalId())
          .orElse(principal);
      if (current.hasSignedIn()) {
        return current;
      }
      Instant now = clock.instant();
      Principal signed = current.signedInAt(now);
      Changes changes = new Changes();
      tenants.stage(changes, signed);
      tenants.tenant(current.tenantId()).filter(t -> !t.hasSignedIn())
          .ifPresent(t -> tenants.stage(changes, t.signedInAt(now)));
      audit.commit(changes, new AuditEvent(now, current.tenantId(), current.principalId(),
          AuditAction.AUTHENTICATE, current.resourceName(), AuditEvent.ALLOWED,
          "FIRST_SIGN_IN", "", ""));
      return signed;
    }
  }

  /**
   * The principal a verified client certificate names (mutual TLS), looked up at this
   * instant.
   *
   * @throws CofferException UNAUTHENTICATED if no such principal exists
   */
  public Principal authenticateCertificate(String tenantId, String principalId) {
    return signedIn(tenants.principal(tenantId, principalId).orElseThrow(() ->
        new CofferException(Reason.UNAUTHENTICATED,
            "the client certificate names a principal that does not exist")));
  }

  private Optional<AccessToken> find(SecretValue presented) {
    return find(tokens, lookupKeys, presented);
  }

  /**
   * The token record a presented value stands for, looked up by its keyed lookup key under
   * every PRF in the keyset (primary first); the value itself is never compared or stored.
   * Public for the audit of failed sign-ins, which names a known token without checking it:
   * the token found may be expired or revoked, and finding it authenticates nothing.
   */
  public static Optional<AccessToken> find(TokenRepository tokens, LookupKeys lookupKeys,
      SecretValue presented) {
    for (byte[] key : lookupKeys.all(presented)) {
      Optional<AccessToken> token = tokens.byLookupKey(key);
      if (token.isPresent()) {
        return token;
      }
    }
    return Optional.empty();
  }

  private static Duration checkTtl(Duration ttl, Duration max) {
    if (ttl == null) {
      return DEFAULT_TTL.compareTo(max) <= 0 ? DEFAULT_TTL : max;
    }
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw CofferException.invalid("ttl", "must be at least 1 minute");
    }
    if (ttl.compareTo(max) > 0) {
      throw CofferException.invalid("ttl",
          "must be at most the tenant's max_token_lifetime (" + max.toDays() + " days)");
    }
    return ttl;
  }
}
