package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Scope;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.secrets.Secrets;
import dev.coffer.server.service.secrets.SecretVerifier;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.ScopeRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;

/**
 * Registers protected API scopes, which hold secrets exactly like applications (created with
 * {@link Secrets#createAsync} and checked with {@link SecretVerifier#verify} by scope). A
 * scope id is unique per tenant; a tenant admin registers scopes for anyone, others only
 * scopes they own. No secret is generated with the scope: create one when needed.
 */
public final class Scopes {

  private final ScopeRepository scopes;
  private final TenantRepository tenants;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public Scopes(ScopeRepository scopes, TenantRepository tenants, Governance gov) {
    this.scopes = scopes;
    this.tenants = tenants;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /** @param owner empty for the caller */
  public synchronized Scope create(CallContext ctx, String scopeId, String description,
      String owner) {
    FieldRules.scopeId("scope_id", scopeId);
    FieldRules.optionalText("description", description, 1024);
    String scopeOwner = owner == null || owner.isEmpty() ? ctx.actor() : owner;
    FieldRules.principalId("owner", scopeOwner);
    if (tenants.principal(ctx.tenantId(), scopeOwner).isEmpty()) {
      throw CofferException.invalid("owner", "is not a principal of this tenant");
    }
    enforcer.require(ctx, policy.createScope(ctx.caller(), scopeOwner), AuditAction.SCOPE_CREATE,
        "scopes");
    if (scopes.get(ctx.tenantId(), scopeId).isPresent()) {
      throw new CofferException(Reason.ALREADY_EXISTS, "a scope " + scopeId + " already exists");
    }
    Scope scope = new Scope(ctx.tenantId(), scopeId, description, scopeOwner, clock.instant(), 1);
    Changes changes = new Changes();
    scopes.stage(changes, scope);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.SCOPE_CREATE, "scopes/" + scopeId));
    return scope;
  }

  /** Any principal of the scope's tenant sees it; others get NOT_FOUND. */
  public Scope get(CallContext ctx, String scopeId) {
    FieldRules.scopeId("name", scopeId);
    return scopes.get(ctx.tenantId(), scopeId).orElseThrow(() ->
        new CofferException(Reason.SCOPE_NOT_FOUND, "scope " + scopeId + " not found"));
  }

  public Page<Scope> list(CallContext ctx, String pageToken, int pageSize) {
    return scopes.list(ctx.tenantId(), pageToken, pageSize);
  }
}
