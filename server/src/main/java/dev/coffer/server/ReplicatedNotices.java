package dev.coffer.server;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.ReplicatedBatch;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.service.lifecycle.LifecycleNotice;
import dev.coffer.server.service.lifecycle.NoticeCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries a cluster node's lifecycle state changes (a secret revoked, a request approved, a
 * token issued for someone else...) to the watchers of every node: the node that made the
 * change proposes its notice as a Raft entry of its own instead of publishing it, and every
 * replica publishes each notice it applies to its own watchers, in log order. So a watch open
 * on any node hears of a change made through any node, once. Expiry warnings do not go this
 * way: every node's monitor reads the replicated records itself.
 *
 * <p>A notice is proposed after its change committed and is not waited for; one whose entry
 * does not commit (no quorum for {@link #BUDGET_MILLIS}) reaches no watcher, and a line is
 * logged (its type, never its content). Security: a notice carries names, states, times and a
 * secret's metadata, never anything that would check or open a value ({@link NoticeCodec}).
 */
final class ReplicatedNotices {

  /** How long a notice's entry may wait for a leader. */
  static final long BUDGET_MILLIS = 30_000;
  private static final Logger LOG = Logger.getLogger(ReplicatedNotices.class.getName());

  private ReplicatedNotices() {}

  /**
   * Sends {@code events}' state changes through {@code node}'s log, and publishes to them what
   * the node applies.
   */
  static void wire(ClusterNode node, LifecycleEvents events) {
    node.machine().onNotices(notices -> publish(notices, events));
    events.stateChangesThrough(notice -> propose(node, notice));
  }

  private static void propose(ClusterNode node, LifecycleNotice notice) {
    byte[] entry = ReplicatedBatch.encodeNotices(List.of(NoticeCodec.encode(notice)));
    node.propose(entry, 0, System.currentTimeMillis() + BUDGET_MILLIS)
        .orTimeout(BUDGET_MILLIS + 5_000, TimeUnit.MILLISECONDS)
        .whenComplete((ok, failure) -> {
          if (failure != null) {
            LOG.log(Level.WARNING, "a lifecycle notice ({0}) reached no watcher: its entry did "
                + "not commit ({1})", new Object[] {notice.state(),
                    failure.getClass().getSimpleName()});
          }
        });
  }

  private static void publish(List<byte[]> notices, LifecycleEvents events) {
    for (byte[] bytes : notices) {
      try {
        events.publish(NoticeCodec.decode(bytes));
      } catch (IllegalArgumentException e) {
        LOG.log(Level.WARNING, "an applied lifecycle notice is malformed: {0}", e.getMessage());
      }
    }
  }
}
