package dev.coffer.server.service.kernel;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import java.time.Clock;

/**
 * Applies {@link AccessPolicy} decisions: a denial is recorded in the audit trail and then
 * thrown, so that no permission denial goes unrecorded.
 */
public final class Enforcer {

  private final AuditLog audit;
  private final Clock clock;

  public Enforcer(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  public void require(CallContext ctx, Decision decision, AuditAction action, String target) {
    if (decision.allowed()) {
      return;
    }
    audit.record(event(ctx, action, target, AuditEvent.DENIED, decision.reason().name()));
    throw new CofferException(decision.reason(), decision.explanation());
  }

  /** An event at the clock's current time on behalf of {@code ctx}'s caller. */
  public AuditEvent event(CallContext ctx, AuditAction action, String target, String outcome,
      String reason) {
    return new AuditEvent(clock.instant(), ctx.tenantId(), ctx.actor(), action, target, outcome,
        reason, ctx.requestId(), ctx.peer());
  }

  public AuditEvent allowed(CallContext ctx, AuditAction action, String target) {
    return event(ctx, action, target, AuditEvent.ALLOWED, "");
  }
}
