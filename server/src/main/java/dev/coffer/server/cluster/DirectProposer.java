package dev.coffer.server.cluster;

import dev.coffer.server.cluster.DirectEntries.Applied;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Proposes an entry on the leader by handing it straight to the node's own Raft division
 * ({@link OwnDivision}, on the proposing thread), saving the Raft client's round trip to itself
 * (a gRPC request and reply through loopback, with their thread hand-offs) on every write the
 * leader takes.
 *
 * <p>Contract, the same as through the client: the result completes once the entry is
 * committed and applied here, with its index and outcome. When the server refuses the entry
 * before appending it because it no longer leads (the refusal comes back at once), the entry
 * goes through the Raft client instead, which finds the leader; one its state machine refuses
 * (malformed, or its deadline passed) fails at once. When leadership moves after the
 * entry was appended, its outcome is in the log: the result completes when this node applies
 * the entry (the next leader committed it), or fails with STORAGE_FAILURE after
 * {@code applyWaitMillis} (it was dropped, or the group has no leader): never a second copy.
 */
final class DirectProposer {

  private final OwnDivision own;
  private final RaftGroupId group;
  private final RaftPeerId self;
  private final DirectEntries entries;
  private final long applyWaitMillis;

  DirectProposer(OwnDivision own, RaftGroupId group, RaftPeerId self, DirectEntries entries,
      long applyWaitMillis) {
    this.own = own;
    this.group = group;
    this.self = self;
    this.entries = entries;
    this.applyWaitMillis = applyWaitMillis;
  }

  CompletableFuture<Applied> propose(Message message,
      Supplier<CompletableFuture<Applied>> viaClient) {
    CompletableFuture<Applied> applied = new CompletableFuture<>();
    long callId = entries.register(applied);
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(entries.client())
        .setServerId(self)
        .setGroupId(group)
        .setCallId(callId)
        .setMessage(message)
        .setType(RaftClientRequest.writeRequestType())
        .build();
    CompletableFuture<RaftClientReply> replied = own.submit(request);
    if (replied.isDone() && !succeeded(replied) && !refusedByMachine(replied)) {
      entries.forget(callId); // refused before it was appended: not this node's to commit
      return viaClient.get();
    }
    return replied.handle((reply, failure) -> {
      if (failure == null && reply.isSuccess()) {
        entries.forget(callId);
        return CompletableFuture.completedFuture(new Applied(reply.getLogIndex(),
            reply.getMessage().getContent().toByteArray()));
      }
      if (failure == null && reply.getStateMachineException() != null) {
        entries.forget(callId); // the machine refused it (malformed, or its deadline passed)
        throw ClusterNode.refusal(reply.getStateMachineException());
      }
      // Appended, then leadership moved: the log decides; wait for this node to apply it.
      return applied.orTimeout(applyWaitMillis, TimeUnit.MILLISECONDS).exceptionally(e -> {
        entries.forget(callId);
        if (e instanceof TimeoutException
            || e.getCause() instanceof TimeoutException) {
          throw new CofferException(Reason.STORAGE_FAILURE, "leadership moved while the write "
              + "was being committed and it was not applied within " + applyWaitMillis
              + " ms; its outcome is unknown: read before writing again");
        }
        throw new CofferException(Reason.STORAGE_FAILURE,
            "the write's outcome could not be learnt", e);
      });
    }).thenCompose(result -> result);
  }

  /** Whether the state machine refused the entry (no other leader would take it either). */
  private static boolean refusedByMachine(CompletableFuture<RaftClientReply> done) {
    try {
      return done.join().getStateMachineException() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean succeeded(CompletableFuture<RaftClientReply> done) {
    try {
      return done.join().isSuccess();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
