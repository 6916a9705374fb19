package dev.coffer.server.api;

import dev.coffer.api.v1.AddPeerRequest;
import dev.coffer.api.v1.ClusterMembership;
import dev.coffer.api.v1.ClusterPeer;
import dev.coffer.api.v1.ClusterServiceGrpc;
import dev.coffer.api.v1.GetClusterStatusRequest;
import dev.coffer.api.v1.RemovePeerRequest;
import dev.coffer.api.v1.TakeSnapshotRequest;
import dev.coffer.api.v1.TakeSnapshotResponse;
import dev.coffer.api.v1.TransferLeadershipRequest;
import dev.coffer.api.v1.TransferLeadershipResponse;
import dev.coffer.server.cluster.ClusterStatus;
import dev.coffer.server.service.operator.ClusterAdmin;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * gRPC adapter of {@link ClusterAdmin}: the cluster's status, leadership transfer, snapshots
 * and membership. Errors go through {@link ErrorMapper} (via {@link UnaryCalls}); ids,
 * addresses and indices only.
 */
public final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {

  private final ClusterAdmin admin;

  public ClusterGrpcService(ClusterAdmin admin) {
    this.admin = admin;
  }

  @Override
  public void getClusterStatus(GetClusterStatusRequest req,
      StreamObserver<dev.coffer.api.v1.ClusterStatus> out) {
    UnaryCalls.run(out, ctx -> status(admin.status(ctx)));
  }

  @Override
  public void transferLeadership(TransferLeadershipRequest req,
      StreamObserver<TransferLeadershipResponse> out) {
    UnaryCalls.run(out, ctx -> {
      ClusterAdmin.Leadership after = admin.transferLeadership(ctx, req.getTargetNodeId());
      return TransferLeadershipResponse.newBuilder().setLeaderId(after.leaderId())
          .setTerm(after.term()).build();
    });
  }

  @Override
  public void takeSnapshot(TakeSnapshotRequest req, StreamObserver<TakeSnapshotResponse> out) {
    UnaryCalls.run(out, ctx -> {
      ClusterAdmin.Snapshot taken = admin.takeSnapshot(ctx);
      return TakeSnapshotResponse.newBuilder().setNodeId(taken.nodeId())
          .setSnapshotIndex(taken.index()).build();
    });
  }

  @Override
  public void removePeer(RemovePeerRequest req, StreamObserver<ClusterMembership> out) {
    UnaryCalls.run(out, ctx -> membership(admin.removePeer(ctx, req.getNodeId())));
  }

  @Override
  public void addPeer(AddPeerRequest req, StreamObserver<ClusterMembership> out) {
    UnaryCalls.run(out, ctx -> membership(admin.addPeer(ctx, req.getNodeId(),
        req.getAddress())));
  }

  static dev.coffer.api.v1.ClusterStatus status(ClusterStatus s) {
    dev.coffer.api.v1.ClusterStatus.Builder b = dev.coffer.api.v1.ClusterStatus.newBuilder()
        .setNodeId(s.nodeId()).setRole(s.role()).setTerm(s.term()).setLeaderId(s.leaderId())
        .setCommitIndex(s.commitIndex()).setAppliedIndex(s.appliedIndex())
        .setForwardedEntries(s.forwardedEntries());
    boolean standalone = ClusterAdmin.STANDALONE.equals(s.role());
    b.setServing(standalone || s.serving())
        .setNotServingReason(standalone ? "" : s.notServingReason());
    s.peers().forEach(p -> b.addPeers(peer(p)));
    return b.build();
  }

  private static ClusterMembership membership(List<ClusterStatus.Peer> peers) {
    ClusterMembership.Builder b = ClusterMembership.newBuilder();
    peers.forEach(p -> b.addPeers(peer(p)));
    return b.build();
  }

  private static ClusterPeer peer(ClusterStatus.Peer p) {
    return ClusterPeer.newBuilder().setId(p.id()).setAddress(p.address()).setRole(p.role())
        .setMatchIndex(p.matchIndex()).setCommitIndex(p.commitIndex())
        .setLastContactMillis(p.lastContactMillis()).build();
  }
}
