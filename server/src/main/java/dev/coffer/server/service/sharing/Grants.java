package dev.coffer.server.service.sharing;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.IdGenerator;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.service.secrets.Secrets;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Instant;

/**
 * Grants: the right of one principal to reveal one shared vaulted secret until a time.
 * The owner or a tenant admin grants directly, never to itself ({@code SELF_DECISION}: two
 * people for every new path to plaintext); approvals grant through
 * {@link AccessRequests}. Every grant expires within the tenant's maximum access
 * duration; "never" does not exist. Grants of secrets a caller cannot see are NOT_FOUND.
 */
public final class Grants {

  private final GrantRepository grants;
  private final TenantRepository tenants;
  private final Secrets secrets;
  private final IdGenerator ids;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final LifecycleEvents events;

  public Grants(GrantRepository grants, TenantRepository tenants, Secrets secrets,
      IdGenerator ids, Governance gov, LifecycleEvents events) {
    this.grants = grants;
    this.tenants = tenants;
    this.secrets = secrets;
    this.ids = ids;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.events = events;
  }

  /** @param expireTime null is refused: every grant expires */
  public Grant create(CallContext ctx, String secretId, String grantee, Instant expireTime) {
    SecretMetadata secret = secrets.visibleSecret(ctx, secretId).metadata();
    FieldRules.principalId("grantee", grantee);
    Instant now = clock.instant();
    Tenant tenant = tenants.tenant(ctx.tenantId()).orElseThrow();
    if (expireTime == null) {
      throw CofferException.invalid("expire_time", "is required: every grant expires");
    }
    if (!expireTime.isAfter(now)) {
      throw CofferException.invalid("expire_time", "must be in the future");
    }
    if (expireTime.isAfter(now.plus(tenant.policy().maxAccessDuration()))) {
      throw CofferException.invalid("expire_time", "must be within the tenant's maximum "
          + "access duration of " + tenant.policy().maxAccessDuration().toHours() + " hours");
    }
    if (tenants.principal(ctx.tenantId(), grantee).isEmpty()) {
      throw CofferException.invalid("grantee", "is not a principal of this tenant");
    }
    String target = "secrets/" + secretId;
    enforcer.require(ctx, policy.requestAccess(grantee, secret, now), AuditAction.GRANT_CREATE,
        target);
    enforcer.require(ctx, policy.governAccess(ctx.caller(), secret, grantee),
        AuditAction.GRANT_CREATE, target);
    Grant grant = new Grant(ctx.tenantId(), ids.next("grt_"), secretId, grantee, ctx.actor(),
        now, expireTime, null, "", 1);
    Changes changes = new Changes();
    grants.stage(changes, grant);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.GRANT_CREATE,
        "grants/" + grant.grantId()));
    events.grantChanged(grant, secret, "GRANTED", now);
    return grant;
  }

  public Grant get(CallContext ctx, String grantId) {
    return visible(ctx, grantId);
  }

  /** @param secretId empty for the caller's own grants */
  public Page<Grant> list(CallContext ctx, String secretId, String pageToken, int size) {
    if (secretId.isEmpty()) {
      return grants.listHeldBy(ctx.tenantId(), ctx.actor(), pageToken, size);
    }
    SecretMetadata secret = secrets.visibleSecret(ctx, secretId).metadata();
    enforcer.require(ctx, policy.governAccess(ctx.caller(), secret, null),
        AuditAction.GRANT_LIST, "secrets/" + secretId);
    return grants.listOnSecret(ctx.tenantId(), secretId, pageToken, size);
  }

  public synchronized Grant revoke(CallContext ctx, String grantId, String etag) {
    Grant grant = visible(ctx, grantId);
    SecretMetadata secret = secrets.findMetadata(ctx.tenantId(), grant.secretId());
    enforcer.require(ctx, policy.revokeGrant(ctx.caller(), grant, secret),
        AuditAction.GRANT_REVOKE, "grants/" + grantId);
    if (etag != null && !etag.isEmpty() && !etag.equals(grant.etag())) {
      throw new CofferException(Reason.ETAG_MISMATCH,
          "grant " + grantId + " changed since it was read (etag " + grant.etag() + ")");
    }
    if (grant.revokeTime() != null) {
      throw new CofferException(Reason.ALREADY_REVOKED, "grant " + grantId
          + " is already revoked");
    }
    Grant revoked = grant.revokedAt(clock.instant());
    Changes changes = new Changes();
    grants.stage(changes, revoked);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.GRANT_REVOKE, "grants/" + grantId));
    events.grantChanged(revoked, secret, "GRANT_REVOKED", revoked.revokeTime());
    return revoked;
  }

  /** A grant the caller may see: its own, or one on a secret it governs (a probe otherwise). */
  private Grant visible(CallContext ctx, String grantId) {
    FieldRules.opaqueId("name", grantId);
    return secrets.probe().require(ctx, "grants/" + grantId, t -> grants.get(t, grantId), g -> {
      if (g.grantee().equals(ctx.actor()) || ctx.caller().admin()) {
        return true;
      }
      SecretMetadata s = secrets.findMetadata(ctx.tenantId(), g.secretId());
      return s != null && policy.governAccess(ctx.caller(), s, null).allowed();
    }, () -> new CofferException(Reason.GRANT_NOT_FOUND, "grant " + grantId + " not found"));
  }
}
