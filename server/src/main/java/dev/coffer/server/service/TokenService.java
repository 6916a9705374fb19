package dev.coffer.server.service;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.LookupKeys;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.store.Changes;
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
public final class TokenService {

  public static final Duration DEFAULT_TTL = Duration.ofDays(30);
  private static final Duration MIN_TTL = Duration.ofMinutes(1);

  /** A newly issued token and its value, which the caller must show once and close. */
  public record Issued(AccessToken token, SecretValue value) {}

  /**
   * Who a call authenticated as, and the id of the token it presented ({@code tok_…}; null
   * for a caller authenticated otherwise, e.g. by client certificate). Never the value.
   */
  public record Authenticated(Principal principal, String tokenId) {}

  private final TokenRepository tokens;
  private final TenantRepository tenants;
  private final SecretGenerator generator;
  private final LookupKeys lookupKeys;
  private final IdGenerator ids;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public TokenService(TokenRepository tokens, TenantRepository tenants, SecretGenerator generator,
      LookupKeys lookupKeys, IdGenerator ids, Governance gov) {
    this.tokens = tokens;
    this.tenants = tenants;
    this.generator = generator;
    this.lookupKeys = lookupKeys;
    this.ids = ids;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /** @param ttl null for the default (30 days) */
  public Issued issue(CallContext ctx, String tenantId, String principalId, Duration ttl,
      String description) {
    String tenant = PrincipalService.targetTenant(ctx, tenantId);
    FieldRules.principalId("principal_id", principalId);
    FieldRules.optionalText("description", description, 200);
    String target = "tenants/" + tenant + "/principals/" + principalId;
    enforcer.require(ctx, policy.managePrincipals(ctx.caller(), tenant), AuditAction.TOKEN_ISSUE,
        target);
    Tenant t = tenants.tenant(tenant).orElseThrow(() ->
        new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + tenant + " not found"));
    if (tenants.principal(tenant, principalId).isEmpty()) {
      throw new CofferException(Reason.PRINCIPAL_NOT_FOUND,
          "principal " + principalId + " not found in tenant " + tenant);
    }
    Duration lifetime = checkTtl(ttl, t.policy().maxTokenLifetime());
    Changes changes = new Changes();
    Issued issued = mint(changes, tenant, principalId, lifetime, description);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.TOKEN_ISSUE,
        "tokens/" + issued.token().tokenId()));
    return issued;
  }

  /** Stages a new token for {@code principalId}; used by {@link #issue} and bootstrap. */
  Issued mint(Changes changes, String tenantId, String principalId, Duration ttl,
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
   * As {@link #authenticate}, also naming the token (its id), for {@code WhoAmI} and for
   * whatever must follow the token of a call.
   */
  public Authenticated authenticateToken(SecretValue presented) {
    if (!ValueFormat.ACCESS_TOKEN.isWellFormed(presented)) {
      throw new CofferException(Reason.UNAUTHENTICATED,
          "the bearer token is malformed (expected cfr_at_... with a valid checksum)");
    }
    AccessToken token = find(presented).orElseThrow(() ->
        new CofferException(Reason.UNAUTHENTICATED, "the bearer token is not valid"));
    if (token.isRevoked()) {
      throw new CofferException(Reason.TOKEN_REVOKED, "the bearer token was revoked");
    }
    if (token.isExpiredAt(clock.instant())) {
      throw new CofferException(Reason.TOKEN_EXPIRED, "the bearer token has expired");
    }
    Principal principal = tenants.principal(token.tenantId(), token.principalId())
        .orElseThrow(() -> new CofferException(Reason.UNAUTHENTICATED,
            "the token's principal no longer exists"));
    return new Authenticated(principal, token.tokenId());
  }

  /**
   * The principal a verified client certificate names (mutual TLS), looked up at this
   * instant.
   *
   * @throws CofferException UNAUTHENTICATED if no such principal exists
   */
  public Principal authenticateCertificate(String tenantId, String principalId) {
    return tenants.principal(tenantId, principalId).orElseThrow(() ->
        new CofferException(Reason.UNAUTHENTICATED,
            "the client certificate names a principal that does not exist"));
  }

  private Optional<AccessToken> find(SecretValue presented) {
    return find(tokens, lookupKeys, presented);
  }

  /**
   * The token record a presented value stands for, looked up by its keyed lookup key under
   * every PRF in the keyset (primary first); the value itself is never compared or stored.
   */
  static Optional<AccessToken> find(TokenRepository tokens, LookupKeys lookupKeys,
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
