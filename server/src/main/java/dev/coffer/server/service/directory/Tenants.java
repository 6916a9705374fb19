package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Location;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Duration;

/**
 * Creates and describes tenants. Only the system administrator creates tenants; a caller
 * sees only its own tenant (another tenant answers NOT_FOUND).
 */
public final class Tenants {

  private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);

  private final TenantRepository tenants;
  private final LocationRepository locations;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public Tenants(TenantRepository tenants, LocationRepository locations, Governance gov) {
    this.tenants = tenants;
    this.locations = locations;
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
            defaults.requestDecisionWindow()));
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
