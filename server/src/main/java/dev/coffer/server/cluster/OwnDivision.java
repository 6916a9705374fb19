package dev.coffer.server.cluster;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;

/**
 * Hands this node's own client requests (a read barrier's ReadIndex round, the leader's own
 * entries) to its Raft division on the calling thread.
 *
 * <p>{@link RaftServer#submitClientRequestAsync} (Ratis's server proxy) first hands each
 * request to the division's client executor and blocks the caller until that thread has
 * submitted it: two thread wake-ups per request, and for a read barrier the caller is a gRPC
 * transport thread. Ratis 3.3.0's division ({@code RaftServerImpl}) implements
 * {@link RaftClientAsynchronousProtocol} itself, and its {@code submitClientRequestAsync} is
 * what that executor thread runs, so calling it here does the same work with no hand-off:
 * a read takes no lock and never waits (the leader answers from its lease or with a future; a
 * follower sends its ReadIndex asynchronously), a write takes the log's append lock as the
 * executor thread would. Should a later Ratis division stop implementing the protocol, the
 * proxy is used ({@link #direct()} says which; a test pins it).
 *
 * <p>Security: the same request object reaches the same checks; only the thread differs.
 * Thread-safe: the division is thread-safe, as its executor is a pool.
 */
final class OwnDivision {

  private final RaftServer server;
  private final RaftGroupId group;
  private volatile RaftClientAsynchronousProtocol division; // null until first resolved

  OwnDivision(RaftServer server, RaftGroupId group) {
    this.server = server;
    this.group = group;
  }

  /**
   * Submits {@code request} to this node's division, on the calling thread when it can. Never
   * throws: a refusal before submission (the group not found, the server not running) is a
   * failed future, as the proxy gives it.
   */
  CompletableFuture<RaftClientReply> submit(RaftClientRequest request) {
    try {
      RaftClientAsynchronousProtocol target = division;
      if (target == null) {
        target = resolve();
      }
      return target.submitClientRequestAsync(request);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Whether requests skip the proxy's executor (the division implements the protocol). */
  boolean direct() throws IOException {
    return resolve() != server;
  }

  private RaftClientAsynchronousProtocol resolve() throws IOException {
    RaftServer.Division own = server.getDivision(group);
    RaftClientAsynchronousProtocol target =
        own instanceof RaftClientAsynchronousProtocol protocol ? protocol : server;
    division = target;
    return target;
  }
}
