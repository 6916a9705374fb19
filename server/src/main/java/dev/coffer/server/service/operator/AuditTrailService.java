package dev.coffer.server.service.operator;

import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.audit.AuditEntry;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.AuditQuery;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.records.Page;
import java.time.Instant;
import java.util.Locale;

/**
 * Reading and checking the audit trail. A tenant admin lists and exports its own tenant's
 * events, and nothing else: the tenant comes from the caller, never from the request.
 * The system administrator verifies the whole chain. Denials are recorded like any other
 * ({@link Enforcer}); each export and each verification is itself an event, so the trail
 * shows who took a copy of it. Listing is not recorded, so paging through the trail does
 * not grow it.
 */
public final class AuditTrailService {

  /** The reason recorded when a verification finds a break. */
  public static final String CHAIN_BROKEN = "CHAIN_BROKEN";
  private static final String VERIFY_TARGET = "audit";

  private final AuditQuery query;
  private final AuditChainVerifier verifier;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;

  public AuditTrailService(AuditQuery query, AuditChainVerifier verifier, Governance gov) {
    this.query = query;
    this.verifier = verifier;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
  }

  /**
   * A filter from request fields, checked: {@code since} before {@code until}, a known
   * action (any case), bounded printable actor and target. Violations name
   * {@code filter.<field>}.
   */
  public static AuditFilter filter(Instant since, Instant until, String actor, String target,
      String action) {
    if (since != null && until != null && !since.isBefore(until)) {
      throw CofferException.invalid("filter.until", "must be after filter.since");
    }
    FieldRules.optionalText("filter.actor", actor, 128);
    FieldRules.optionalText("filter.target", target, 256);
    String name = action.strip().toUpperCase(Locale.ROOT);
    if (!name.isEmpty()) {
      try {
        AuditAction.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw CofferException.invalid("filter.action", "is not a known audit action, e.g. "
            + AuditAction.SECRET_REVEAL.name());
      }
    }
    return new AuditFilter(since, until, actor, target, name);
  }

  public Page<AuditEntry> list(CallContext ctx, AuditFilter filter, String pageToken,
      int pageSize) {
    AuditQuery.pageSize(pageSize);
    String tenant = ctx.tenantId();
    enforcer.require(ctx, policy.readAudit(ctx.caller(), tenant), AuditAction.AUDIT_LIST,
        "tenants/" + tenant);
    return query.list(tenant, filter, pageToken, pageSize);
  }

  /**
   * Authorizes and records an export, then returns a cursor over the matching events up
   * to the newest one at this moment (the export's own event included).
   */
  public AuditQuery.Cursor export(CallContext ctx, AuditFilter filter) {
    String tenant = ctx.tenantId();
    String target = "tenants/" + tenant;
    enforcer.require(ctx, policy.readAudit(ctx.caller(), tenant), AuditAction.AUDIT_EXPORT,
        target);
    audit.record(enforcer.allowed(ctx, AuditAction.AUDIT_EXPORT, target));
    return query.cursor(tenant, filter, audit.lastSequence());
  }

  /** Walks the whole chain; records the outcome (FAILED, {@value #CHAIN_BROKEN}, when broken). */
  public AuditChainVerifier.Result verify(CallContext ctx) {
    enforcer.require(ctx, policy.verifyAudit(ctx.caller()), AuditAction.AUDIT_VERIFY,
        VERIFY_TARGET);
    AuditChainVerifier.Result result = verifier.verify();
    audit.record(result.intact()
        ? enforcer.allowed(ctx, AuditAction.AUDIT_VERIFY, VERIFY_TARGET)
        : enforcer.event(ctx, AuditAction.AUDIT_VERIFY, VERIFY_TARGET, AuditEvent.FAILED,
            CHAIN_BROKEN));
    return result;
  }
}
