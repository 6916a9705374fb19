package dev.coffer.server.domain;

import java.time.Instant;

/**
 * One audit record. By construction it holds identifiers only (actor, target, request
 * id), never a secret value, token or verifier.
 *
 * @param outcome "ALLOWED", "DENIED" or "FAILED"
 * @param reason the rule or error reason, empty when allowed
 */
public record AuditEvent(
    Instant time,
    String tenantId,
    String actor,
    AuditAction action,
    String target,
    String outcome,
    String reason,
    String requestId,
    String peer) {

  public static final String ALLOWED = "ALLOWED";
  public static final String DENIED = "DENIED";
  public static final String FAILED = "FAILED";
}
