package dev.coffer.server.audit;

import dev.coffer.server.store.records.pb.AuditRec;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One stored audit event as a query returns it: its place in the chain and the fields of
 * the {@link dev.coffer.server.domain.AuditEvent} it records. Identifiers only: like the
 * event, it can hold no value, token or verifier.
 *
 * @param action the action's name as stored (e.g. {@code SECRET_REVEAL})
 * @param previousHash hex SHA-256 of the previous event's stored record
 */
public record AuditEntry(
    long sequence,
    Instant time,
    String tenantId,
    String actor,
    String action,
    String target,
    String outcome,
    String reason,
    String requestId,
    String peer,
    String previousHash) {

  static AuditEntry of(AuditRec r) {
    return new AuditEntry(r.getSequence(), Instant.ofEpochMilli(r.getTimeMillis()),
        r.getTenantId(), r.getActor(), r.getAction(), r.getTarget(), r.getOutcome(),
        r.getReason(), r.getRequestId(), r.getPeer(),
        HexFormat.of().formatHex(r.getPreviousHash().toByteArray()));
  }
}
