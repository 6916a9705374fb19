package dev.coffer.server.service.operator;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.ClusterStatus;
import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.config.HostPort;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.audit.AuditLog;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cluster's operator surface ({@code coffer cluster ...}), system administrator only,
 * every call audited (allowed, denied, or failed with the reason): this node's view of the
 * group, moving leadership, taking a snapshot, removing and adding a voter. The caller is
 * authorised first, then the arguments are checked (INVALID_ARGUMENT naming the field, nothing
 * changed), then the server must be a cluster node: on a single node every operation but
 * {@link #status} fails with NOT_CLUSTERED (FAILED_PRECONDITION), and {@link #status} answers
 * role {@value #STANDALONE}.
 *
 * <p>Security: ids, addresses, indices and counters only; the audit target names the node or
 * peer, never a key.
 */
public final class ClusterAdmin {

  /** The role a server that is not part of a cluster reports. */
  public static final String STANDALONE = "standalone";


  /** Who leads after a transfer, in which term. */
  public record Leadership(String leaderId, long term) {}

  /** A snapshot taken on a node, holding the log up to {@code index}. */
  public record Snapshot(String nodeId, long index) {}

  private final Optional<ClusterNode> node;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;

  public ClusterAdmin(Optional<ClusterNode> node, Governance gov) {
    this.node = node;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
  }

  /** This node's view of the group, or a standalone status (role {@value #STANDALONE}). */
  public ClusterStatus status(CallContext ctx) {
    authorize(ctx, AuditAction.CLUSTER_STATUS, "cluster");
    ClusterStatus status = node.map(ClusterNode::status).orElseGet(() -> new ClusterStatus("",
        STANDALONE, 0, "", 0, 0, 0, List.of(), ""));
    audit.record(enforcer.allowed(ctx, AuditAction.CLUSTER_STATUS, "cluster"));
    return status;
  }

  /**
   * Moves leadership to {@code target} (a voter's id), or, when it is empty, to the most
   * up-to-date other voter; returns the id of the node that leads afterwards.
   */
  public Leadership transferLeadership(CallContext ctx, String target) {
    authorize(ctx, AuditAction.CLUSTER_TRANSFER_LEADER, "cluster");
    Optional<String> to = target == null || target.isEmpty() ? Optional.empty()
        : Optional.of(nodeId("target_node_id", target));
    ClusterNode n = clustered();
    return audited(ctx, AuditAction.CLUSTER_TRANSFER_LEADER,
        "cluster/peers/" + to.orElse("any"),
        () -> {
          String leader = n.operations().transferLeadership(to);
          return new Leadership(leader, n.status().term());
        });
  }

  /** Snapshots this node's store. */
  public Snapshot takeSnapshot(CallContext ctx) {
    authorize(ctx, AuditAction.CLUSTER_SNAPSHOT, "cluster");
    ClusterNode n = clustered();
    return audited(ctx, AuditAction.CLUSTER_SNAPSHOT, "cluster/peers/" + n.config().nodeId(),
        () -> new Snapshot(n.config().nodeId(), n.operations().takeSnapshot()));
  }

  /** Removes voter {@code id}; returns the voters after the change. */
  public List<ClusterStatus.Peer> removePeer(CallContext ctx, String id) {
    authorize(ctx, AuditAction.CLUSTER_REMOVE_PEER, "cluster");
    String peer = nodeId("node_id", id);
    ClusterNode n = clustered();
    return audited(ctx, AuditAction.CLUSTER_REMOVE_PEER, "cluster/peers/" + peer,
        () -> n.operations().removePeer(peer));
  }

  /** Adds voter {@code id} at {@code address} ({@code HOST:PORT}); returns the voters after. */
  public List<ClusterStatus.Peer> addPeer(CallContext ctx, String id, String address) {
    authorize(ctx, AuditAction.CLUSTER_ADD_PEER, "cluster");
    String peer = nodeId("node_id", id);
    HostPort at = HostPort.parse(address == null ? "" : address)
        .filter(h -> !h.host().isBlank() && h.port() > 0)
        .orElseThrow(() -> CofferException.invalid("address",
            "must be HOST:PORT with a port from 1 to 65535"));
    ClusterNode n = clustered();
    return audited(ctx, AuditAction.CLUSTER_ADD_PEER, "cluster/peers/" + peer,
        () -> n.operations().addPeer(peer, at));
  }

  private void authorize(CallContext ctx, AuditAction action, String target) {
    enforcer.require(ctx, policy.administerVault(ctx.caller()), action, target);
  }

  private static String nodeId(String field, String value) {
    if (!ClusterConfig.isNodeId(value)) {
      throw CofferException.invalid(field,
          "must be a node id: a letter or digit, then letters, digits or '-', at most 40");
    }
    return value;
  }

  private ClusterNode clustered() {
    return node.orElseThrow(() -> new CofferException(Reason.NOT_CLUSTERED,
        "this server is not part of a cluster"));
  }

  /** Runs {@code change}, auditing it as allowed, or as failed with its reason. */
  private <T> T audited(CallContext ctx, AuditAction action, String target, Supplier<T> change) {
    T result;
    try {
      result = change.get();
    } catch (CofferException e) {
      audit.record(enforcer.event(ctx, action, target, AuditEvent.FAILED, e.reason().name()));
      throw e;
    }
    audit.record(enforcer.allowed(ctx, action, target));
    return result;
  }
}
