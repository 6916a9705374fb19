package dev.coffer.cli;

import dev.coffer.api.v1.ClusterPeer;
import dev.coffer.api.v1.ClusterStatus;
import dev.coffer.api.v1.GetClusterStatusRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer cluster peers [--json]}: GetClusterStatus (system administrator) of the node the
 * CLI talks to: its role, term, leader, commit and applied index, whether it serves and why not,
 * then a table of the group's voters (id, address, role, term, commit/applied, last contact).
 * Match index and last contact are known on the leader only ({@code -} elsewhere): ask the leader
 * for the lag of each follower. A peer's term is this node's when it knows the peer is in it
 * (itself, the leader, a follower the leader heard from); its applied index only for itself.
 * Ids, addresses and indices only.
 */
@Command(
    name = "peers",
    description = {
      "Show this node's view of the cluster: role, term, leader, indices, and each voter.",
      "Match index and last contact are known on the leader: ask it (--addr) for the lag."
    })
final class ClusterPeersCommand extends ClientCommand {

  @Option(names = "--json", description = "Print the status as proto3 JSON (as -o json).")
  boolean json;

  @Override
  protected int run(CofferClient client, Printer printer) {
    ClusterStatus s = client.cluster().getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
    if (json || printer.isJson()) {
      printer.json(s);
      return ExitCodes.OK;
    }
    if ("standalone".equals(s.getRole())) {
      printer.print(s, "role", "standalone (this server is not part of a cluster)");
      return ExitCodes.OK;
    }
    printer.print(
        s,
        "node", s.getNodeId(),
        "role", s.getRole(),
        "term", Long.toString(s.getTerm()),
        "leader", s.getLeaderId().isEmpty() ? "(none known)" : s.getLeaderId(),
        "commit/applied", s.getCommitIndex() + "/" + s.getAppliedIndex(),
        "serving", s.getServing() ? "yes" : "NO: " + s.getNotServingReason(),
        "forwarded entries", Long.toString(s.getForwardedEntries()));
    TextTable peers =
        new TextTable("ID", "ADDRESS", "ROLE", "TERM", "MATCH", "COMMIT/APPLIED", "LAST CONTACT");
    for (ClusterPeer p : s.getPeersList()) {
      boolean self = p.getId().equals(s.getNodeId());
      peers.row(
          p.getId() + (self ? " *" : ""),
          p.getAddress(),
          p.getRole().isEmpty() ? "-" : p.getRole(),
          self || "leader".equals(p.getRole()) || p.getLastContactMillis() >= 0
              ? Long.toString(s.getTerm()) : "-",
          index(p.getMatchIndex()),
          index(p.getCommitIndex()) + "/" + (self ? Long.toString(s.getAppliedIndex()) : "-"),
          p.getLastContactMillis() < 0 ? "-" : p.getLastContactMillis() + " ms ago");
    }
    ctx.out().println();
    peers.print(ctx.out());
    ctx.out().flush();
    return ExitCodes.OK;
  }

  private static String index(long i) {
    return i < 0 ? "-" : Long.toString(i);
  }
}
