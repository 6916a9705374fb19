package dev.coffer.server.metrics;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.ClusterStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A cluster node's Raft figures, read at scrape time from its {@link ClusterNode}, with the
 * Prometheus names the alerts and the dashboard in {@code deploy/} use:
 * {@code coffer_cluster_role{role}} (1 for the current role), {@code _has_leader},
 * {@code _term}, {@code _commit_index}, {@code _applied_index}, {@code _serving},
 * {@code _follower_lag_entries{peer}} (on the leader only: the leader's last log index minus the
 * follower's match index), {@code _leader_changes_total}, {@code _forwarded_entries_total},
 * {@code _snapshot_age_seconds} (NaN before the first snapshot), and, per entry this node
 * proposed, {@code _entry_bytes} and {@code _entry_events} (summaries) and
 * {@code _replication_seconds} (a histogram, proposing to applied here).
 *
 * <p>Contract: bind once per node ({@link #bindTo}); the per-peer lag series follow the
 * membership: {@link #refreshPeers} runs whenever a configuration change applies on this node.
 * Security: counts, sizes and ids only.
 */
public final class ClusterMetrics implements MeterBinder {

  /** The roles {@code coffer_cluster_role} reports, one series each. */
  public static final List<String> ROLES = List.of("leader", "follower", "candidate");

  /** Replication latency buckets: from a fast local commit to a slow election. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  private final ClusterNode node;
  private final Clock clock;
  private final Map<String, Meter> lagGauges = new HashMap<>();
  private volatile MeterRegistry registry;

  public ClusterMetrics(ClusterNode node, Clock clock) {
    this.node = Objects.requireNonNull(node, "node");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    for (String role : ROLES) {
      Gauge.builder("coffer.cluster.role", node, n -> role.equals(n.status().role()) ? 1 : 0)
          .description("1 for this node's current Raft role, 0 for the others")
          .tag("role", role).register(registry);
    }
    Gauge.builder("coffer.cluster.has.leader", node,
            n -> n.status().leaderId().isEmpty() ? 0 : 1)
        .description("1 when this node knows a leader of the current term")
        .register(registry);
    Gauge.builder("coffer.cluster.term", node, n -> n.status().term())
        .description("The current Raft term").register(registry);
    Gauge.builder("coffer.cluster.commit.index", node, n -> n.status().commitIndex())
        .description("Last log index committed by a majority, as this node knows it")
        .register(registry);
    Gauge.builder("coffer.cluster.applied.index", node, n -> n.status().appliedIndex())
        .description("Last log index applied to this node's store").register(registry);
    Gauge.builder("coffer.cluster.clock.behind", node, n -> n.clockBehindMillis() / 1000.0)
        .description("How far this node's clock is known to be behind a peer's (0: not "
            + "behind); more than 0.5 s behind most peers, it does not serve")
        .baseUnit("seconds").register(registry);
    Gauge.builder("coffer.cluster.serving", node, n -> n.status().serving() ? 1 : 0)
        .description("1 when this node answers SERVING (a leader, or a follower in sync)")
        .register(registry);
    FunctionCounter.builder("coffer.cluster.leader.changes", node,
            n -> n.machine().leaderChanges())
        .description("Leader changes this node has seen").register(registry);
    FunctionCounter.builder("coffer.cluster.forwarded.entries", node,
            n -> n.status().forwardedEntries())
        .description("Entries this node sent to a leader it is not").register(registry);
    FunctionCounter.builder("coffer.cluster.read.rounds", node, ClusterNode::readRounds)
        .description("Linearizable read rounds this node started (ReadIndex; on a follower, "
            + "each asks the leader)").register(registry);
    FunctionCounter.builder("coffer.cluster.read.barrier.calls", node,
            ClusterNode::readBarrierCalls)
        .description("Calls that waited for a linearizable read barrier (over rounds: callers "
            + "per round)").register(registry);
    Gauge.builder("coffer.cluster.snapshot.age", this, ClusterMetrics::snapshotAgeSeconds)
        .description("Seconds since this node's latest snapshot (NaN before the first)")
        .baseUnit("seconds").register(registry);
    DistributionSummary bytes = DistributionSummary.builder("coffer.cluster.entry.bytes")
        .description("Size of a replicated entry this node proposed").register(registry);
    DistributionSummary events = DistributionSummary.builder("coffer.cluster.entry.events")
        .description("Audit events per replicated entry this node proposed")
        .register(registry);
    Timer replication = Timer.builder("coffer.cluster.replication")
        .description("From proposing an entry to its being applied on this node")
        .serviceLevelObjectives(BUCKETS).register(registry);
    node.onEntry((size, count, nanos, applied) -> {
      if (!applied) {
        return; // refused or failed: not a replicated entry's figures
      }
      bytes.record(size);
      events.record(count);
      replication.record(nanos, TimeUnit.NANOSECONDS);
    });
    node.machine().onConfigurationChanged(this::refreshPeers);
    refreshPeers();
  }

  /**
   * Registers a {@code coffer_cluster_follower_lag_entries} series for each member of the
   * group not yet shown, and removes those of members that left. Called at bind time; call it
   * again after a membership change (the operator's add and remove do).
   */
  public synchronized void refreshPeers() {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Set<String> members = new HashSet<>();
    ClusterStatus status = node.status();
    for (ClusterStatus.Peer p : status.peers()) {
      members.add(p.id());
      if (!p.id().equals(status.nodeId()) && !lagGauges.containsKey(p.id())) {
        String id = p.id();
        lagGauges.put(id, Gauge.builder("coffer.cluster.follower.lag.entries", this,
                m -> m.lag(id))
            .description("On the leader: log entries a follower is behind (NaN elsewhere)")
            .tag("peer", id).register(r));
      }
    }
    lagGauges.entrySet().removeIf(e -> {
      if (!members.contains(e.getKey())) {
        r.remove(e.getValue());
        return true;
      }
      return false;
    });
  }

  private double lag(String peer) {
    ClusterStatus status = node.status();
    if (!"leader".equals(status.role())) {
      return Double.NaN;
    }
    long last = -1;
    long match = -1;
    for (ClusterStatus.Peer p : status.peers()) {
      if (p.id().equals(status.nodeId())) {
        last = p.matchIndex();
      } else if (p.id().equals(peer)) {
        match = p.matchIndex();
      }
    }
    return last < 0 || match < 0 ? Double.NaN : Math.max(0, last - match);
  }

  private double snapshotAgeSeconds() {
    return node.machine().latestSnapshotTime()
        .map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0))
        .orElse(Double.NaN);
  }
}
