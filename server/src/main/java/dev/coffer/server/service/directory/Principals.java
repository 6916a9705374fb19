package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;

/**
 * Manages the principals of a tenant. Tenant admins manage their own tenant; the system
 * administrator may name another tenant. Other tenants' principals are NOT_FOUND.
 */
public final class Principals {

  private final TenantRepository tenants;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public Principals(TenantRepository tenants, Governance gov) {
    this.tenants = tenants;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /** A principal without an owner (a USER, or a SERVICE owned by the caller). */
  public Principal create(CallContext ctx, String tenantId, String principalId,
      PrincipalKind kind, boolean admin) {
    return create(ctx, tenantId, principalId, kind, admin, "");
  }

  /**
   * @param tenantId empty for the caller's tenant
   * @param owner SERVICE only: its owning USER principal; empty for the caller (who must
   *     then be of the tenant)
   */
  public synchronized Principal create(CallContext ctx, String tenantId, String principalId,
      PrincipalKind kind, boolean admin, String owner) {
    String tenant = targetTenant(ctx, tenantId);
    FieldRules.principalId("principal_id", principalId);
    PrincipalKind k = kind == null ? PrincipalKind.USER : kind;
    String ownerId = owner == null ? "" : owner;
    if (k == PrincipalKind.USER && !ownerId.isEmpty()) {
      throw CofferException.invalid("owner", "only a SERVICE principal has an owner");
    }
    if (k == PrincipalKind.SERVICE && ownerId.isEmpty()) {
      if (!tenant.equals(ctx.tenantId())) {
        throw CofferException.invalid("owner",
            "is required for a SERVICE principal of another tenant");
      }
      ownerId = ctx.actor();
    } else if (k == PrincipalKind.SERVICE) {
      FieldRules.principalId("owner", ownerId);
    }
    String target = "tenants/" + tenant + "/principals/" + principalId;
    enforcer.require(ctx, policy.managePrincipals(ctx.caller(), tenant),
        AuditAction.PRINCIPAL_CREATE, target);
    requireTenant(tenant);
    if (tenants.principal(tenant, principalId).isPresent()) {
      throw new CofferException(Reason.ALREADY_EXISTS,
          "principal " + principalId + " already exists in tenant " + tenant);
    }
    if (k == PrincipalKind.SERVICE) {
      String o = ownerId;
      if (tenants.principal(tenant, o).filter(p -> p.kind() == PrincipalKind.USER).isEmpty()) {
        throw CofferException.invalid("owner", "must be a USER principal of tenant " + tenant);
      }
    }
    Principal principal = new Principal(tenant, principalId, k, admin, false, clock.instant(),
        ownerId, null);
    Changes changes = new Changes();
    tenants.stage(changes, principal);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.PRINCIPAL_CREATE, target));
    return principal;
  }

  public Principal get(CallContext ctx, String tenantId, String principalId) {
    String tenant = targetTenant(ctx, tenantId);
    FieldRules.principalId("name", principalId);
    if (!ctx.caller().systemAdmin() && !ctx.tenantId().equals(tenant)) {
      throw notFound(principalId);
    }
    return tenants.principal(tenant, principalId).orElseThrow(() -> notFound(principalId));
  }

  public Page<Principal> list(CallContext ctx, String tenantId, String pageToken, int size) {
    String tenant = targetTenant(ctx, tenantId);
    if (!ctx.caller().systemAdmin() && !ctx.tenantId().equals(tenant)) {
      throw new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + tenant + " not found");
    }
    return tenants.principals(tenant, pageToken, size);
  }

  /** The tenant a request names, defaulting to the caller's. */
  static String targetTenant(CallContext ctx, String tenantId) {
    if (tenantId == null || tenantId.isEmpty()) {
      return ctx.tenantId();
    }
    return FieldRules.tenantId("tenant_id", tenantId);
  }

  private void requireTenant(String tenant) {
    if (tenants.tenant(tenant).isEmpty()) {
      throw new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + tenant + " not found");
    }
  }

  private static CofferException notFound(String principalId) {
    return new CofferException(Reason.PRINCIPAL_NOT_FOUND,
        "principal " + principalId + " not found");
  }
}
