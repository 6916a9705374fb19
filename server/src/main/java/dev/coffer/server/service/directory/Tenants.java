package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Location;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TokenRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Creates and describes tenants, and replaces their policies. Only the system administrator
 * creates a tenant or replaces its policy (its own admins may not loosen it); a caller sees
 * only its own tenant (another tenant answers NOT_FOUND). A policy is validated the same
 * way on both paths. Switching {@code federated_user_sign_in_only} on revokes every USER
 * token of the tenant in the same batch, so no admin-issued credential for a person
 * outlives the switch.
 */
public final class Tenants {

  private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
  private static final int USER_PAGE = 500;

  private final TenantRepository tenants;
  private final LocationRepository locations;
  private final TokenRepository tokens;
  private final LifecycleEvents events;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public Tenants(TenantRepository tenants, LocationRepository locations, TokenRepository tokens,
      Governance gov, LifecycleEvents events) {
    this.tenants = tenants;
    this.locations = locations;
    this.tokens = tokens;
    this.events = events;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * @param policy null fields take the defaults
   */
  public synchronized Tenant create(CallContext ctx, String tenantId, TenantPolicy policy) {
    FieldRules.tenantId("tenant_id", tenantId);
    TenantPolicy checked = checkPolicy(policy);
    enforcer.require(ctx, this.policy.manageTenants(ctx.caller()), AuditAction.TENANT_CREATE,
        "tenants/" + tenantId);
    if (tenants.tenant(tenantId).isPresent()) {
      throw new CofferException(Reason.ALREADY_EXISTS, "tenant " + tenantId + " already exists");
    }
    Tenant tenant = new Tenant(tenantId, checked, clock.instant());
    Changes changes = new Changes();
    stageNewTenant(changes, tenant);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.TENANT_CREATE, "tenants/" + tenantId));
    return tenant;
  }

  /**
   * Replaces {@code tenantId}'s whole policy (null durations take their defaults), checked
   * as at creation. System administrator only. One TENANT_POLICY_UPDATE event in the tenant
   * (and one in the caller's, when different) whose reason names the fields that changed
   * ({@link TenantPolicyChange}); a POLICY_UPDATED notice to the tenant's admins. Existing
   * secrets, tokens and grants keep their lifetimes, with one exception: switching
   * {@code federatedUserSignInOnly} on revokes every active token of the tenant's USER
   * principals in the same batch (the caller's own, in its own tenant, included), since
   * the switch exists to take every admin-issued credential for a person away; people
   * then sign in again through the identity Login.
   *
   * @throws CofferException INVALID_ARGUMENT naming the field, NOT_SYSTEM_ADMIN,
   *     TENANT_NOT_FOUND, or CONCURRENT_CHANGE if the tenant changed meanwhile; in every
   *     case nothing changed
   */
  public TenantPolicyChange updatePolicy(CallContext ctx, String tenantId,
      TenantPolicy requested) {
    FieldRules.tenantId("name", tenantId);
    if (requested == null) {
      throw CofferException.invalid("policy", "is required: the whole new policy");
    }
    TenantPolicy checked = checkPolicy(requested);
    String target = "tenants/" + tenantId;
    enforcer.require(ctx, policy.manageTenants(ctx.caller()), AuditAction.TENANT_POLICY_UPDATE,
        target);
    TenantPolicyChange change;
    synchronized (this) {
      Tenant before = tenants.tenant(tenantId).orElseThrow(() -> notFound(tenantId));
      Changes changes = new Changes();
      tenants.guard(changes, before);
      Tenant after = before.withPolicy(checked);
      tenants.stage(changes, after);
      change = new TenantPolicyChange(before, after, 0);
      if (change.switchedOn()) {
        change = change.plusRevoked(revokeUserTokens(changes, tenantId));
      }
      audit.commit(changes, event(ctx, tenantId, target, change.auditReason()));
      if (change.switchedOn()) {
        change = change.plusRevoked(revokeRacingTokens(ctx, tenantId, target));
      }
    }
    if (!tenantId.equals(ctx.tenantId())) {
      audit.record(enforcer.event(ctx, AuditAction.TENANT_POLICY_UPDATE, target,
          AuditEvent.ALLOWED, change.auditReason()));
    }
    events.tenantPolicyUpdated(tenantId, clock.instant());
    return change;
  }

  /** Stages the revocation of every active token of the tenant's USER principals. */
  private int revokeUserTokens(Changes changes, String tenantId) {
    Instant now = clock.instant();
    int revoked = 0;
    String page = "";
    do {
      Page<Principal> principals = tenants.principals(tenantId, page, USER_PAGE);
      for (Principal p : principals.items()) {
        if (p.kind() != PrincipalKind.USER) {
          continue;
        }
        for (AccessToken token : tokens.activeOf(tenantId, p.principalId(), now)) {
          tokens.stage(changes, token.revokedAt(now));
          revoked++;
        }
      }
      page = principals.nextPageToken();
    } while (!page.isEmpty());
    return revoked;
  }

  /**
   * After the switch is committed no USER token can be issued (Tokens guards on the
   * tenant record), but one committed between the scan above and that commit (another
   * node's, say) would have escaped it: a second scan revokes those, in a batch of its own.
   */
  private int revokeRacingTokens(CallContext ctx, String tenantId, String target) {
    Changes changes = new Changes();
    int revoked = revokeUserTokens(changes, tenantId);
    if (revoked > 0) {
      audit.commit(changes, event(ctx, tenantId, target,
          TenantPolicyChange.REVOKED_USER_TOKENS + "=" + revoked));
    }
    return revoked;
  }

  /** A TENANT_POLICY_UPDATE event in the tenant; the actor is tenant-qualified across tenants. */
  private AuditEvent event(CallContext ctx, String tenantId, String target, String reason) {
    String actor = tenantId.equals(ctx.tenantId()) ? ctx.actor() : ctx.caller().resourceName();
    return new AuditEvent(clock.instant(), tenantId, actor, AuditAction.TENANT_POLICY_UPDATE,
        target, AuditEvent.ALLOWED, reason, ctx.requestId(), ctx.peer());
  }

  /** Stages a tenant and its root location. */
  void stageNewTenant(Changes changes, Tenant tenant) {
    tenants.stage(changes, tenant);
    locations.stage(changes, new Location(tenant.tenantId(), "/", tenant.createTime()), "/");
  }

  public Tenant get(CallContext ctx, String tenantId) {
    FieldRules.tenantId("name", tenantId);
    if (!ctx.caller().systemAdmin() && !ctx.tenantId().equals(tenantId)) {
      throw notFound(tenantId);
    }
    return tenants.tenant(tenantId).orElseThrow(() -> notFound(tenantId));
  }

  private static CofferException notFound(String tenantId) {
    return new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + tenantId + " not found");
  }

  /** The checks of CreateTenant and UpdateTenantPolicy: one place, named fields. */
  private static TenantPolicy checkPolicy(TenantPolicy requested) {
    TenantPolicy defaults = TenantPolicy.defaults();
    if (requested == null) {
      return defaults;
    }
    return new TenantPolicy(requested.allowNeverExpire(),
        lifetime("policy.max_secret_lifetime", requested.maxSecretLifetime(),
            defaults.maxSecretLifetime()),
        lifetime("policy.max_token_lifetime", requested.maxTokenLifetime(),
            defaults.maxTokenLifetime()),
        lifetime("policy.max_access_duration", requested.maxAccessDuration(),
            defaults.maxAccessDuration()),
        lifetime("policy.request_decision_window", requested.requestDecisionWindow(),
            defaults.requestDecisionWindow()),
        requested.federatedUserSignInOnly());
  }

  private static Duration lifetime(String field, Duration requested, Duration fallback) {
    if (requested == null) {
      return fallback;
    }
    if (requested.compareTo(MIN_LIFETIME) < 0) {
      throw CofferException.invalid(field, "must be at least 1 minute");
    }
    return requested;
  }
}
