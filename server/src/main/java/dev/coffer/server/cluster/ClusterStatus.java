package dev.coffer.server.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * One node's view of its Raft group at one moment: its role and term, the leader it knows,
 * its commit and applied indices, how many entries it forwarded to a leader, and per peer
 * (the leader knows these) the index each peer is known to have committed.
 * Security: ids, addresses and counters only.
 */
public record ClusterStatus(String nodeId, String role, long term, String leaderId,
    long commitIndex, long appliedIndex, long forwardedEntries, List<Peer> peers) {

  /** A member of the group and the commit index it last reported (-1 when unknown). */
  public record Peer(String id, String address, long commitIndex) {}

  static ClusterStatus of(String nodeId, RaftServer.Division division,
      CofferStateMachine machine, long forwarded) {
    DivisionInfo info = division.getInfo();
    TermIndex applied = machine.getLastAppliedTermIndex();
    List<Peer> peers = new ArrayList<>();
    for (RaftPeer peer : division.getGroup().getPeers()) {
      long commit = -1;
      for (CommitInfoProto c : division.getCommitInfos()) {
        if (c.getServer().getId().toStringUtf8().equals(peer.getId().toString())) {
          commit = c.getCommitIndex();
        }
      }
      peers.add(new Peer(peer.getId().toString(), peer.getAddress(), commit));
    }
    return new ClusterStatus(nodeId, info.getCurrentRole().name().toLowerCase(),
        info.getCurrentTerm(),
        info.getLeaderId() == null ? "" : info.getLeaderId().toString(),
        division.getRaftLog().getLastCommittedIndex(),
        applied == null ? 0 : applied.getIndex(), forwarded, List.copyOf(peers));
  }

  /** Entries a node may be behind its commit index and still count as in sync. */
  public static final long IN_SYNC_ENTRIES = 1000;

  /** Whether this node can serve: it knows a leader and has applied nearly all it committed. */
  public boolean serving() {
    return !leaderId.isEmpty() && commitIndex - appliedIndex <= IN_SYNC_ENTRIES;
  }
}
