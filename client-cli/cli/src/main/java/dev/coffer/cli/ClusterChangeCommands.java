package dev.coffer.cli;

import dev.coffer.api.v1.AddPeerRequest;
import dev.coffer.api.v1.ClusterMembership;
import dev.coffer.api.v1.RemovePeerRequest;
import dev.coffer.api.v1.TakeSnapshotRequest;
import dev.coffer.api.v1.TakeSnapshotResponse;
import dev.coffer.api.v1.TransferLeadershipRequest;
import dev.coffer.api.v1.TransferLeadershipResponse;
import dev.coffer.api.v1.ClusterServiceGrpc.ClusterServiceBlockingStub;
import dev.coffer.client.CofferClient;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The cluster's changes (system administrator): {@code coffer cluster transfer-leader [--to ID]},
 * {@code snapshot}, {@code remove ID} and {@code add ID HOST:PORT}. Each waits for the group to
 * report the change done (deadline: {@code --timeout} if given, else 1 h, as an election or a new
 * voter's catch-up may take a while). Node ids and addresses are checked here first, as the
 * server checks them.
 */
final class ClusterChangeCommands {

  /** As the server's {@code --cluster-node-id}. */
  static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,39}");

  private ClusterChangeCommands() {}

  /** Base: the stub with the long deadline, and the local checks of ids. */
  abstract static class Change extends ClientCommand {
    ClusterServiceBlockingStub stub(CofferClient client) {
      return client.cluster().withDeadlineAfter(
          AuditViews.longCallDeadline(spec, global).toNanos(), TimeUnit.NANOSECONDS);
    }

    void checkId(String what, String id) {
      if (!NODE_ID.matcher(id).matches()) {
        throw usage(what + " must be a node id: a letter or digit, then letters, digits or '-'"
            + ", at most 40");
      }
    }

    void printMembership(Printer printer, ClusterMembership m, String change) {
      printer.print(
          m,
          "change", change,
          "voters", m.getPeersList().stream().map(p -> p.getId() + "=" + p.getAddress())
              .sorted().collect(Collectors.joining(", ")));
    }
  }

  @Command(
      name = "transfer-leader",
      description = {
        "Move leadership to the node --to names, or else to the most up-to-date other voter.",
        "Deadline: --timeout if given, else 1h."
      })
  static final class TransferLeader extends Change {
    @Option(names = "--to", paramLabel = "ID", description = "The voter that should lead.")
    String to = "";

    @Override
    protected void checkLocally() {
      if (!to.isEmpty()) {
        checkId("--to", to);
      }
    }

    @Override
    protected int run(CofferClient client, Printer printer) {
      TransferLeadershipResponse r = stub(client).transferLeadership(
          TransferLeadershipRequest.newBuilder().setTargetNodeId(to).build());
      printer.print(r, "leader", r.getLeaderId(), "term", Long.toString(r.getTerm()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "snapshot",
      description = {
        "Take a snapshot of the node's store now (a RocksDB checkpoint) and trim its Raft log.",
        "Runs on the node --addr names; refused when nothing was applied since the last one."
      })
  static final class Snapshot extends Change {
    @Override
    protected int run(CofferClient client, Printer printer) {
      TakeSnapshotResponse r = stub(client).takeSnapshot(TakeSnapshotRequest.getDefaultInstance());
      printer.print(r, "node", r.getNodeId(), "snapshot index", Long.toString(r.getSnapshotIndex()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "remove",
      description = "Remove a voter from the group (the others must remain a majority).")
  static final class Remove extends Change {
    @Parameters(paramLabel = "ID", description = "The node id to remove.")
    String id;

    @Override
    protected void checkLocally() {
      checkId("ID", id);
    }

    @Override
    protected int run(CofferClient client, Printer printer) {
      printMembership(printer, stub(client).removePeer(
          RemovePeerRequest.newBuilder().setNodeId(id).build()), "removed " + id);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "add",
      description = {
        "Add a voter at its Raft address; it must be running (or start now) with the same root key.",
        "Waits until it has caught up. Deadline: --timeout if given, else 1h."
      })
  static final class Add extends Change {
    @Parameters(index = "0", paramLabel = "ID", description = "The new node's id.")
    String id;

    @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Its Raft address.")
    String address;

    @Override
    protected void checkLocally() {
      checkId("ID", id);
      int colon = address.lastIndexOf(':');
      String port = colon <= 0 ? "" : address.substring(colon + 1);
      if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65_535) {
        throw usage("HOST:PORT must be a host and a port from 1 to 65535, e.g. coffer-3:7000");
      }
    }

    @Override
    protected int run(CofferClient client, Printer printer) {
      printMembership(printer, stub(client).addPeer(
          AddPeerRequest.newBuilder().setNodeId(id).setAddress(address).build()), "added " + id);
      return ExitCodes.OK;
    }
  }
}
