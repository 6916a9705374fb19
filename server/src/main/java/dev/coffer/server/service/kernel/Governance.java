package dev.coffer.server.service.kernel;

import dev.coffer.server.audit.AuditLog;
import java.time.Clock;

/**
 * What every service consults for every call: the one authorization policy, the enforcer
 * that records denials, the audit log that commits changes with their events, and the
 * clock that decides expiry.
 */
public record Governance(AccessPolicy policy, Enforcer enforcer, AuditLog audit, Clock clock) {

  /** The standard wiring: one policy, an enforcer writing denials to {@code audit}. */
  public static Governance of(AuditLog audit, Clock clock) {
    return new Governance(new AccessPolicy(), new Enforcer(audit, clock), audit, clock);
  }
}
