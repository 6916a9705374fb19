package dev.coffer.server.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;

/**
 * The entries a node handed to its own Raft server while it led ({@link DirectProposer}),
 * awaiting their apply on this node, by call id. The state machine tells it of every entry it
 * applies; an entry proposed under this registry's client id completes its waiter with its
 * index and outcome. So a proposer whose leadership moved after its entry was appended learns
 * the entry's fate from the log itself: applied here if the next leader committed it, never if
 * it was dropped. Thread-safe; holds no entry bytes.
 */
final class DirectEntries {

  /** Where an entry was applied on this node and what applying it did. */
  record Applied(long index, byte[] outcome) {}

  private final ClientId client = ClientId.randomId();
  private final AtomicLong calls = new AtomicLong();
  private final ConcurrentMap<Long, CompletableFuture<Applied>> awaiting =
      new ConcurrentHashMap<>();

  ClientId client() {
    return client;
  }

  /** A new call id, and the future its entry's apply on this node completes. */
  long register(CompletableFuture<Applied> applied) {
    long callId = calls.incrementAndGet();
    awaiting.put(callId, applied);
    return callId;
  }

  /** Stops waiting for {@code callId} (answered otherwise, or given up). */
  void forget(long callId) {
    awaiting.remove(callId);
  }

  /** Called by the state machine for every entry it applies, in log order. */
  void applied(StateMachineLogEntryProto entry, long index, byte[] outcome) {
    if (awaiting.isEmpty() || !client.toByteString().equals(entry.getClientId())) {
      return;
    }
    CompletableFuture<Applied> waiter = awaiting.remove(entry.getCallId());
    if (waiter != null) {
      waiter.complete(new Applied(index, outcome));
    }
  }

  int waiting() {
    return awaiting.size();
  }
}
