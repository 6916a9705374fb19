package dev.coffer.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Predicate;

/**
 * The one rule for cutting a queue of changes into groups that commit together: a run of
 * unguarded changes, at most {@code max} of them, or one guarded change (with expectations)
 * alone, so its expectations are checked against exactly the state it commits on. Used by the
 * single node's {@link ChainedAuditLog} and a cluster node's replicated audit log.
 */
public final class GroupCommit {

  private GroupCommit() {}

  /** Polls the next group off {@code queue} (empty when the queue is). */
  public static <T> List<T> nextGroup(Queue<T> queue, Predicate<T> guarded, int max) {
    List<T> group = new ArrayList<>();
    for (T next = queue.peek(); next != null && group.size() < max; next = queue.peek()) {
      boolean alone = guarded.test(next);
      if (alone && !group.isEmpty()) {
        break;
      }
      group.add(queue.poll());
      if (alone) {
        break;
      }
    }
    return group;
  }
}
