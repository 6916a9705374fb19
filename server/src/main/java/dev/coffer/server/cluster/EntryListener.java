package dev.coffer.server.cluster;

/**
 * Told of every entry a {@link ClusterNode} proposed, once it is applied on that node (or
 * failed): its size, the audit events it carries and the time from proposing to applied. The
 * metrics use it. Called on a completion thread before the proposer's future completes; must
 * not block, and a failure it throws is ignored. Security: sizes and counts only.
 */
@FunctionalInterface
public interface EntryListener {

  /** Hears nothing. */
  EntryListener NONE = (bytes, events, nanos, applied) -> { };

  void proposed(int bytes, int events, long nanos, boolean applied);
}
