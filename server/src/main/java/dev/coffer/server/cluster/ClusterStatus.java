package dev.coffer.server.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * One node's view of its Raft group at one moment: its role and term, the leader it knows,
 * its commit and applied indices, how many entries it forwarded to a leader, and per peer
 * (the leader knows these) the index each peer is known to have committed; and why its clock
 * keeps it from serving ({@code clockBehind}, empty when it does not).
 * Security: ids, addresses and counters only.
 */
public record ClusterStatus(String nodeId, String role, long term, String leaderId,
    long commitIndex, long appliedIndex, long forwardedEntries, List<Peer> peers,
    String clockBehind) {

  /**
   * A member of the group and the commit index it last reported (-1 when unknown); the leader
   * also knows each one's match index and how long ago it last heard from it (-1 elsewhere),
   * and every node knows which one leads ({@code role} "leader" or "follower").
   */
  public record Peer(String id, String address, long commitIndex, String role, long matchIndex,
      long lastContactMillis) {}

  static ClusterStatus of(String nodeId, RaftServer.Division division,
      CofferStateMachine machine, long forwarded, String clockBehind) {
    DivisionInfo info = division.getInfo();
    TermIndex applied = machine.getLastAppliedTermIndex();
    Map<String, long[]> followers = followers(info);
    String leader = info.getLeaderId() == null ? "" : info.getLeaderId().toString();
    List<Peer> peers = new ArrayList<>();
    for (RaftPeer peer : division.getGroup().getPeers()) {
      String id = peer.getId().toString();
      long commit = -1;
      for (CommitInfoProto c : division.getCommitInfos()) {
        if (c.getServer().getId().toStringUtf8().equals(id)) {
          commit = c.getCommitIndex();
        }
      }
      long[] known = followers.get(id);
      boolean selfLeads = info.isLeader() && id.equals(nodeId);
      TermIndex last = division.getRaftLog().getLastEntryTermIndex();
      long match = known != null ? known[0] : selfLeads && last != null ? last.getIndex() : -1;
      long contact = known != null ? known[1] : selfLeads ? 0 : -1;
      String role = leader.isEmpty() ? "" : id.equals(leader) ? "leader" : "follower";
      peers.add(new Peer(id, peer.getAddress(), commit, role, match, contact));
    }
    return new ClusterStatus(nodeId, info.getCurrentRole().name().toLowerCase(),
        info.getCurrentTerm(), leader,
        division.getRaftLog().getLastCommittedIndex(),
        applied == null ? 0 : applied.getIndex(), forwarded, List.copyOf(peers), clockBehind);
  }

  /**
   * On the leader, per follower id: its match index and the milliseconds since its last
   * answer (Ratis lists both in the order of its log appenders); empty elsewhere.
   */
  private static Map<String, long[]> followers(DivisionInfo info) {
    Map<String, long[]> out = new HashMap<>();
    if (!info.isLeader()) {
      return out;
    }
    List<ServerRpcProto> rpcs = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
    long[] match = info.getFollowerMatchIndices();
    if (match == null || match.length != rpcs.size()) {
      return out; // the followers changed between the two reads: unknown this time
    }
    for (int i = 0; i < rpcs.size(); i++) {
      out.put(rpcs.get(i).getId().getId().toStringUtf8(),
          new long[] {match[i], rpcs.get(i).getLastRpcElapsedTimeMs()});
    }
    return out;
  }

  /** Why this node does not serve, or empty when it does. */
  public String notServingReason() {
    if (leaderId.isEmpty()) {
      return "no leader known (no quorum from this node, or an election is under way)";
    }
    if (commitIndex - appliedIndex > IN_SYNC_ENTRIES) {
      return "catching up: applied " + appliedIndex + " of " + commitIndex + " committed";
    }
    return clockBehind;
  }

  /** Entries a node may be behind its commit index and still count as in sync. */
  public static final long IN_SYNC_ENTRIES = 1000;

  /**
   * Whether this node can serve: it knows a leader, has applied nearly all it committed, and
   * its clock is not behind its peers' (see {@link ClockCheck}).
   */
  public boolean serving() {
    return notServingReason().isEmpty();
  }
}
