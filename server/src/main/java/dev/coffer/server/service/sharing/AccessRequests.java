package dev.coffer.server.service.sharing;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AccessRequest;
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
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Access requests: PENDING, then APPROVED (creating a grant in the same batch), DENIED or
 * CANCELLED, or EXPIRED when undecided past the tenant's decision window. Requests are
 * refused with FAILED_PRECONDITION for secrets that are not vaulted, and for secrets that
 * are not shared unless the requester is the owner (then only a tenant admin decides); a duration above the
 * tenant's maximum is INVALID_ARGUMENT; nobody decides their own request. A caller sees
 * its own requests and those it may decide; any other is NOT_FOUND.
 */
public final class AccessRequests {

  private final AccessRequestRepository requests;
  private final GrantRepository grants;
  private final TenantRepository tenants;
  private final Secrets secrets;
  private final IdGenerator ids;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final LifecycleEvents events;

  public AccessRequests(AccessRequestRepository requests, GrantRepository grants,
      TenantRepository tenants, Secrets secrets, IdGenerator ids, Governance gov,
      LifecycleEvents events) {
    this.requests = requests;
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

  public AccessRequest create(CallContext ctx, String secretId, String justification,
      Duration duration) {
    SecretMetadata secret = secrets.visibleSecret(ctx, secretId).metadata();
    FieldRules.displayText("justification", justification, 500);
    Tenant tenant = tenants.tenant(ctx.tenantId()).orElseThrow();
    if (duration == null) {
      throw CofferException.invalid("duration", "is required, e.g. 8h");
    }
    if (duration.compareTo(tenant.policy().maxAccessDuration()) > 0) {
      throw CofferException.invalid("duration", "must be at most the tenant's maximum access "
          + "duration of " + tenant.policy().maxAccessDuration().toHours() + " hours");
    }
    Instant now = clock.instant();
    String target = "secrets/" + secretId;
    enforcer.require(ctx, policy.requestAccess(ctx.actor(), secret, now),
        AuditAction.ACCESS_REQUEST, target);
    AccessRequest request = new AccessRequest(ctx.tenantId(), ids.next("req_"), secretId,
        ctx.actor(), justification, duration, AccessRequest.Status.PENDING, now,
        now.plus(tenant.policy().requestDecisionWindow()), "", null, "", "", 1);
    Changes changes = new Changes();
    requests.stage(changes, request, secret.owner());
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.ACCESS_REQUEST,
        "accessRequests/" + request.requestId()));
    events.requestChanged(request, secret, "REQUESTED", now);
    return request;
  }

  public AccessRequest get(CallContext ctx, String requestId) {
    return visible(ctx, requestId);
  }

  /**
   * @param pending only pending requests the caller may decide (all of the tenant's for
   *     an admin, those on its secrets for an owner)
   * @param mine only the caller's own requests (the default when neither is set)
   */
  public Page<AccessRequest> list(CallContext ctx, boolean pending, boolean mine,
      String pageToken, int size) {
    if (pending && mine) {
      throw CofferException.invalid("mine", "cannot be combined with pending");
    }
    if (!pending) {
      return requests.listByRequester(ctx.tenantId(), ctx.actor(), pageToken, size);
    }
    return ctx.caller().admin()
        ? requests.listPendingInTenant(ctx.tenantId(), pageToken, size)
        : requests.listPendingForOwner(ctx.tenantId(), ctx.actor(), pageToken, size);
  }

  public synchronized AccessRequest approve(CallContext ctx, String requestId, String etag) {
    AccessRequest request = pendingForDecision(ctx, requestId, etag, AuditAction.ACCESS_APPROVE);
    SecretMetadata secret = secrets.findMetadata(ctx.tenantId(), request.secretId());
    Instant now = clock.instant();
    enforcer.require(ctx, policy.requestAccess(request.requester(), secret, now),
        AuditAction.ACCESS_APPROVE,
        "accessRequests/" + requestId);
    Grant grant = new Grant(ctx.tenantId(), ids.next("grt_"), request.secretId(),
        request.requester(), ctx.actor(), now, now.plus(request.duration()), null, requestId, 1);
    AccessRequest approved = request.decided(AccessRequest.Status.APPROVED, ctx.actor(), now, "",
        grant.grantId());
    Changes changes = new Changes();
    requests.stage(changes, approved, secret.owner());
    grants.stage(changes, grant);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.ACCESS_APPROVE,
        "accessRequests/" + requestId));
    events.requestChanged(approved, secret, "APPROVED", now);
    events.grantChanged(grant, secret, "GRANTED", now);
    return approved;
  }

  public synchronized AccessRequest deny(CallContext ctx, String requestId, String reason,
      String etag) {
    FieldRules.displayText("reason", reason, 500);
    AccessRequest request = pendingForDecision(ctx, requestId, etag, AuditAction.ACCESS_DENY);
    return close(ctx, request, AccessRequest.Status.DENIED, reason, AuditAction.ACCESS_DENY);
  }

  public synchronized AccessRequest cancel(CallContext ctx, String requestId, String etag) {
    AccessRequest request = visible(ctx, requestId);
    enforcer.require(ctx, policy.cancel(ctx.caller(), request), AuditAction.ACCESS_CANCEL,
        "accessRequests/" + requestId);
    requirePending(request, etag);
    return close(ctx, request, AccessRequest.Status.CANCELLED, "", AuditAction.ACCESS_CANCEL);
  }

  private AccessRequest close(CallContext ctx, AccessRequest request,
      AccessRequest.Status outcome, String reason, AuditAction action) {
    SecretMetadata secret = secrets.findMetadata(ctx.tenantId(), request.secretId());
    AccessRequest closed = request.decided(outcome, ctx.actor(), clock.instant(), reason, "");
    Changes changes = new Changes();
    requests.stage(changes, closed, secret == null ? "" : secret.owner());
    audit.commit(changes, enforcer.allowed(ctx, action,
        "accessRequests/" + request.requestId()));
    events.requestChanged(closed, secret, outcome.name(), closed.decideTime());
    return closed;
  }

  private AccessRequest pendingForDecision(CallContext ctx, String requestId, String etag,
      AuditAction action) {
    AccessRequest request = visible(ctx, requestId);
    SecretMetadata secret = secrets.findMetadata(ctx.tenantId(), request.secretId());
    if (secret == null) {
      throw new CofferException(Reason.SECRET_NOT_FOUND, "the requested secret was deleted");
    }
    enforcer.require(ctx, policy.governAccess(ctx.caller(), secret, request.requester()),
        action, "accessRequests/" + requestId);
    requirePending(request, etag);
    return request;
  }

  private void requirePending(AccessRequest request, String etag) {
    if (etag != null && !etag.isEmpty() && !etag.equals(request.etag())) {
      throw new CofferException(Reason.ETAG_MISMATCH, "access request " + request.requestId()
          + " changed since it was read (etag " + request.etag() + ")");
    }
    AccessRequest.State state = request.stateAt(clock.instant());
    if (state != AccessRequest.State.PENDING) {
      throw new CofferException(Reason.REQUEST_NOT_PENDING, "access request "
          + request.requestId() + " is " + state.name().toLowerCase(Locale.ROOT));
    }
  }

  /** A request the caller may see: its own, or one it may decide (a probe otherwise). */
  private AccessRequest visible(CallContext ctx, String requestId) {
    FieldRules.opaqueId("name", requestId);
    return secrets.probe().require(ctx, "accessRequests/" + requestId,
        t -> requests.get(t, requestId), r -> {
      if (r.requester().equals(ctx.actor()) || ctx.caller().admin()) {
        return true;
      }
      SecretMetadata s = secrets.findMetadata(ctx.tenantId(), r.secretId());
      return s != null && s.owner().equals(ctx.actor());
    }, () -> new CofferException(Reason.ACCESS_REQUEST_NOT_FOUND,
        "access request " + requestId + " not found"));
  }
}
