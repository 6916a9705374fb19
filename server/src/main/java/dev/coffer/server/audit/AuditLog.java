package dev.coffer.server.audit;

import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.store.Changes;

/**
 * The append-only audit trail. Every state change commits together with its event in one
 * atomic, synced batch, so a change is never without its record; a read that cannot be
 * recorded must not be served (callers record before they return a value). Events hold
 * identifiers only, never values, tokens or verifiers.
 */
public interface AuditLog {

  /**
   * Appends {@code event} to {@code changes} and commits both atomically and durably.
   *
   * @throws dev.coffer.server.domain.CofferException AUDIT_UNAVAILABLE or STORAGE_FAILURE
   *     when nothing was committed
   */
  void commit(Changes changes, AuditEvent event);

  /** Records an event that comes with no other change (a read, a denial). */
  default void record(AuditEvent event) {
    commit(new Changes(), event);
  }

  /** Sequence number of the newest event, 0 when the trail is empty. */
  long lastSequence();
}
