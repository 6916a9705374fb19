package dev.coffer.server.cluster;

import dev.coffer.server.config.HostPort;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * The operator's changes to a running group, sent through Ratis from this node (any node):
 * move leadership ({@code admin().transferLeadership}), take a snapshot on this node
 * ({@code snapshotManagementApi().create}), remove or add a voter
 * ({@code admin().setConfiguration}). Each builds a Raft client for the group as this node
 * knows it now (a membership change is then seen by the next call), bounded by
 * {@link #TIMEOUT_MILLIS}, and closes it.
 *
 * <p>Contract: each call returns only once Ratis reports the change done; a refusal or a
 * timeout is a {@link CofferException} (FAILED_PRECONDITION for a change the group's state
 * refuses, UNAVAILABLE when the group did not answer in time) naming what was asked, never a
 * Ratis type. Arguments are checked by the caller ({@code ClusterAdmin}); membership refuses a
 * change that would leave no voter or name an unknown peer.
 *
 * <p>Security: ids and addresses only; the client uses the node's own transport settings
 * (mutual TLS when configured).
 */
public final class ClusterOperations {

  /** How long one operation may take: an election, or a new voter's catch-up. */
  public static final long TIMEOUT_MILLIS = 30_000;

  /** Hand-overs tried before a transfer is refused (see {@link #transferLeadership}). */
  static final int TRANSFER_ATTEMPTS = 3;

  /**
   * One hand-over of leadership to {@code to}, as Ratis's admin API performs it: the seam the
   * retry's tests use, Ratis's outcome under writes being a race they cannot arrange.
   */
  interface Handover {
    RaftClientReply send(RaftClient client, String to) throws IOException;
  }

  /** The hand-over Ratis performs. */
  static final Handover RATIS = (client, to) ->
      client.admin().transferLeadership(RaftPeerId.valueOf(to), TIMEOUT_MILLIS);

  private final ClusterNode node;
  private final Handover handover;

  ClusterOperations(ClusterNode node) {
    this(node, RATIS);
  }

  ClusterOperations(ClusterNode node, Handover handover) {
    this.node = node;
    this.handover = handover;
  }

  /**
   * Makes {@code target} the leader and returns its id. Without a target, moves leadership off
   * the current leader, to the voter that has committed most (ties broken by id), and returns
   * the new leader's id.
   *
   * <p>Ratis's hand-over is best effort under writes: the transferee starts its election once
   * it holds the leader's last entry, but an entry the leader was already appending can land
   * after that check, and the others then refuse the transferee their vote (after which the
   * old leader, or another voter, is elected). So a hand-over that leaves leadership where it
   * was is tried again, up to {@value #TRANSFER_ATTEMPTS} times half a second apart (a Ratis
   * retry policy); one that ends with another voter elected has done what an untargeted
   * transfer asks.
   */
  public String transferLeadership(Optional<String> target) {
    // Ratis counts attempts, the first included: after attempt n fails, it retries while
    // n < the maximum (TransferLeadershipRetryTest caught this set one short).
    RetryPolicy again = RetryPolicies.retryUpToMaximumCountWithFixedSleep(TRANSFER_ATTEMPTS,
        TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    String original = node.status().leaderId();
    for (int attempt = 1; ; attempt++) {
      ClusterStatus status = node.status();
      String leader = status.leaderId();
      if (movedOff(target, original, leader)) {
        return leader;
      }
      String to = target.orElseGet(() -> mostCaughtUp(status));
      requireMember(to, "target_node_id");
      if (to.equals(leader)) {
        return to;
      }
      try {
        RaftClientReply reply = call("transfer leadership to " + to,
            c -> handover.send(c, to));
        requireSuccess(reply, "transfer leadership to " + to);
        return to;
      } catch (CofferException refused) {
        String now = node.status().leaderId();
        if (now.equals(to) || movedOff(target, original, now)) {
          return now;
        }
        int failed = attempt;
        RetryPolicy.Action action = again.handleAttemptFailure(() -> failed);
        if (!action.shouldRetry()) {
          throw refused;
        }
        try {
          action.getSleepTime().sleep();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw refused;
        }
      }
    }
  }

  /** Whether an untargeted transfer is done: a voter other than {@code original} leads. */
  private static boolean movedOff(Optional<String> target, String original, String leader) {
    return target.isEmpty() && !leader.isEmpty() && !leader.equals(original);
  }

  private static String mostCaughtUp(ClusterStatus status) {
    return status.peers().stream()
        .filter(p -> !p.id().equals(status.leaderId()))
        .max(Comparator.comparingLong(ClusterStatus.Peer::commitIndex)
            .thenComparing(ClusterStatus.Peer::id, Comparator.reverseOrder()))
        .map(ClusterStatus.Peer::id)
        .orElseThrow(() -> new CofferException(Reason.CLUSTER_CHANGE_REFUSED,
            "the group has no other voter to lead"));
  }

  /** Snapshots this node's store now; returns the snapshot's last index. */
  public long takeSnapshot() {
    RaftPeerId self = RaftPeerId.valueOf(node.config().nodeId());
    RaftClientReply reply = call("take a snapshot",
        c -> c.getSnapshotManagementApi(self).create(TIMEOUT_MILLIS));
    requireSuccess(reply, "take a snapshot");
    long index = reply.getLogIndex();
    if (index < 0) {
      throw new CofferException(Reason.CLUSTER_CHANGE_REFUSED,
          "no snapshot taken: nothing was applied on this node since the last one");
    }
    return index;
  }

  /** Removes voter {@code id}; returns the voters after the change. */
  public List<ClusterStatus.Peer> removePeer(String id) {
    requireMember(id, "node_id");
    List<RaftPeer> remaining = new ArrayList<>();
    for (RaftPeer p : group().getPeers()) {
      if (!p.getId().toString().equals(id)) {
        remaining.add(p);
      }
    }
    if (remaining.isEmpty()) {
      throw new CofferException(Reason.CLUSTER_CHANGE_REFUSED,
          "the group's last voter cannot be removed");
    }
    setConfiguration(remaining, "remove " + id);
    return node.status().peers();
  }

  /** Adds voter {@code id} at {@code address}; returns the voters after the change. */
  public List<ClusterStatus.Peer> addPeer(String id, HostPort address) {
    if (group().getPeer(RaftPeerId.valueOf(id)) != null) {
      throw new CofferException(Reason.CLUSTER_CHANGE_REFUSED,
          "node " + id + " is already a member of the group");
    }
    List<RaftPeer> peers = new ArrayList<>(group().getPeers());
    peers.add(RaftPeer.newBuilder().setId(id)
        .setAddress(address.host() + ":" + address.port()).build());
    setConfiguration(peers, "add " + id);
    return node.status().peers();
  }

  private void setConfiguration(List<RaftPeer> peers, String what) {
    RaftClientReply reply = call(what, c -> c.admin().setConfiguration(peers));
    requireSuccess(reply, what);
  }

  private RaftGroup group() {
    return node.division().getGroup();
  }

  private void requireMember(String id, String field) {
    if (group().getPeer(RaftPeerId.valueOf(id)) == null) {
      throw CofferException.invalid(field, "node " + id + " is not a member of the group");
    }
  }

  private interface RaftCall {
    RaftClientReply send(RaftClient client) throws IOException;
  }

  private RaftClientReply call(String what, RaftCall call) {
    RaftProperties properties = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
        TimeDuration.valueOf(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group())
        .setProperties(properties).setParameters(node.parameters())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build()) {
      return call.send(client);
    } catch (IOException | RuntimeException e) {
      if (e instanceof CofferException c) {
        throw c;
      }
      throw new CofferException(Reason.STORAGE_FAILURE, "the cluster could not " + what + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  private static void requireSuccess(RaftClientReply reply, String what) {
    if (!reply.isSuccess()) {
      throw new CofferException(Reason.CLUSTER_CHANGE_REFUSED, "the cluster refused to "
          + what + ": " + (reply.getException() == null ? "no reason given"
              : reply.getException().getClass().getSimpleName()));
    }
  }
}
