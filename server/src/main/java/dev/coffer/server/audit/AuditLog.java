package dev.coffer.server.audit;

import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.store.Changes;
import java.util.concurrent.CompletableFuture;

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

  /**
   * As {@link #commit}, without blocking the caller: the future completes once the change
   * and its event are durable, or exceptionally (with the same exceptions) when nothing was
   * committed. A caller that serves a read must send it only from the future's success.
   * This default commits on the calling thread.
   */
  default CompletableFuture<Void> commitAsync(Changes changes, AuditEvent event) {
    try {
      commit(changes, event);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** As {@link #record}, without blocking: see {@link #commitAsync}. */
  default CompletableFuture<Void> recordAsync(AuditEvent event) {
    return commitAsync(new Changes(), event);
  }

  /** Sequence number of the newest event, 0 when the trail is empty. */
  long lastSequence();
}
