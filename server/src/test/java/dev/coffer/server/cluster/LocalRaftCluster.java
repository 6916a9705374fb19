package dev.coffer.server.cluster;

import dev.coffer.server.store.SwappableRocksStore;
import dev.coffer.server.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.ExceptionDependentRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.util.TimeDuration;

/**
 * A Raft group of real Ratis servers in this JVM, over gRPC on 127.0.0.1 only: node
 * {@code i} keeps its Raft log under {@code root/n<i>/raft} and its {@link SwappableRocksStore}
 * under {@code root/n<i>/store}, both in the test's temporary directory, and runs a
 * {@link CofferStateMachine} on that store. Nodes can be stopped (server and store closed)
 * and restarted on the same directories. Every wait is bounded ({@link #MAX_WAIT_MILLIS}).
 * Extra Ratis settings (snapshots, segment size) are given at {@link #start(Path, int,
 * Consumer)} and apply to every node.
 */
final class LocalRaftCluster implements AutoCloseable {

  /** Ratis logs every election at INFO, and a stopped node at WARNING: the tests expect both. */
  private static final Logger RATIS_LOG = Logger.getLogger("org.apache.ratis");

  static {
    RATIS_LOG.setLevel(Level.SEVERE);
  }

  static final long MAX_WAIT_MILLIS = 30_000;
  private static final long POLL_MILLIS = 20;

  /** One node: its fixed peer identity and, while running, its server and store. */
  static final class Node {
    final RaftPeer peer;
    final Path dir;
    SwappableRocksStore store;
    RaftServer server;
    CofferStateMachine machine;

    Node(RaftPeer peer, Path dir) {
      this.peer = peer;
      this.dir = dir;
    }

    boolean running() {
      return server != null;
    }
  }

  private final RaftGroup group;
  private final List<Node> nodes = new ArrayList<>();
  private final List<RaftClient> clients = new ArrayList<>();
  private final Consumer<RaftProperties> tuning;
  private final AtomicLong callIds = new AtomicLong();

  private LocalRaftCluster(Path root, int size, Consumer<RaftProperties> tuning)
      throws IOException {
    this.tuning = tuning;
    List<RaftPeer> peers = new ArrayList<>();
    List<Integer> ports = FreePorts.distinct(size);
    for (int i = 0; i < size; i++) {
      RaftPeer peer = RaftPeer.newBuilder().setId("n" + i)
          .setAddress("127.0.0.1:" + ports.get(i)).build();
      peers.add(peer);
      nodes.add(new Node(peer, root.resolve("n" + i)));
    }
    group = RaftGroup.valueOf(RaftGroupId.randomId(), peers);
  }

  /** Formats and starts {@code size} nodes. */
  static LocalRaftCluster start(Path root, int size) throws IOException {
    return start(root, size, properties -> { });
  }

  /** Formats and starts {@code size} nodes, each with {@code tuning} applied to its settings. */
  static LocalRaftCluster start(Path root, int size, Consumer<RaftProperties> tuning)
      throws IOException {
    LocalRaftCluster cluster = new LocalRaftCluster(root, size, tuning);
    try {
      for (int i = 0; i < size; i++) {
        cluster.startNode(i, StartupOption.FORMAT);
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  Node node(int i) {
    return nodes.get(i);
  }

  int size() {
    return nodes.size();
  }

  /** Stops node {@code i}: its Raft server, then its store. Its directories stay. */
  void stop(int i) {
    Node node = nodes.get(i);
    try {
      node.server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      node.store.close();
    }
    node.server = null;
    node.machine = null;
    node.store = null;
  }

  /** Restarts a stopped node on its directories: its store and its Raft log recovered. */
  void restart(int i) throws IOException {
    startNode(i, StartupOption.RECOVER);
  }

  private void startNode(int i, StartupOption option) throws IOException {
    Node node = nodes.get(i);
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(node.dir.resolve("raft").toFile()));
    GrpcConfigKeys.Server.setHost(properties, "127.0.0.1");
    GrpcConfigKeys.Server.setPort(properties, port(node.peer));
    // Four builds share two cores here: elections slower than the defaults, so a busy
    // machine does not make the leader change in the middle of a test.
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    tuning.accept(properties);
    node.store = SwappableRocksStore.open(node.dir.resolve("store"));
    node.machine = new CofferStateMachine(node.store, node.store);
    try {
      node.server = RaftServer.newBuilder().setServerId(node.peer.getId()).setGroup(group)
          .setStateMachine(node.machine).setProperties(properties).setOption(option).build();
      node.server.start();
    } catch (IOException | RuntimeException e) {
      if (node.server != null) {
        try {
          node.server.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
        node.server = null;
      }
      node.store.close();
      node.store = null;
      throw e;
    }
  }

  /** A client of the whole group (it finds the leader), retrying a bounded number of times. */
  RaftClient newClient() {
    RaftProperties properties = new RaftProperties();
    RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(properties)
        .setRetryPolicy(ExceptionDependentRetry.newBuilder()
            .setDefaultPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                100, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
            // a batch the state machine refused is refused again: no point retrying it
            .setExceptionToPolicy(StateMachineException.class, RetryPolicies.noRetry())
            .build())
        .build();
    clients.add(client);
    return client;
  }

  /** Proposes {@code entry} through {@code client} and waits for its reply. */
  static RaftClientReply propose(RaftClient client, byte[] entry) throws IOException {
    return client.io().send(ReplicatedBatch.message(entry));
  }

  /** Waits until node {@code i} has applied {@code index}; fails after the bound. */
  void awaitApplied(int i, long index) {
    awaitTrue(() -> {
      Node node = nodes.get(i);
      return node.running() && node.machine.getLastAppliedTermIndex() != null
          && node.machine.getLastAppliedTermIndex().getIndex() >= index;
    }, "node " + i + " to apply index " + index);
  }

  /** Waits until every running node has applied {@code index}. */
  void awaitAllApplied(long index) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).running()) {
        awaitApplied(i, index);
      }
    }
  }

  /** The id of the current leader, waiting (bounded) for one to be elected. */
  RaftPeerId awaitLeader() {
    RaftPeerId[] found = new RaftPeerId[1];
    awaitTrue(() -> {
      for (Node node : nodes) {
        if (node.running() && division(node).getInfo().isLeader()) {
          found[0] = node.peer.getId();
          return true;
        }
      }
      return false;
    }, "a leader");
    return found[0];
  }

  int indexOf(RaftPeerId id) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).peer.getId().equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node " + id);
  }

  /**
   * Asks node {@code i} for a snapshot now (as {@code coffer cluster snapshot} would), if it
   * applied at least one entry since its last one; returns the index of its latest snapshot.
   */
  long snapshot(int i) throws IOException {
    Node node = nodes.get(i);
    RaftClientReply reply = node.server.snapshotManagement(SnapshotManagementRequest.newCreate(
        ClientId.randomId(), node.peer.getId(), group.getGroupId(), callIds.incrementAndGet(),
        MAX_WAIT_MILLIS, 1));
    if (!reply.isSuccess()) {
      throw new IOException("snapshot refused on node " + i, reply.getException());
    }
    return reply.getLogIndex();
  }

  /** The Raft log directory of node {@code i} (segments and Ratis metadata). */
  Path raftLogDir(int i) {
    return nodes.get(i).dir.resolve("raft").resolve(group.getGroupId().getUuid().toString())
        .resolve("current");
  }

  /** The root of everything node {@code i} keeps on disk (Raft log, snapshots, store). */
  Path nodeDir(int i) {
    return nodes.get(i).dir;
  }

  /** Waits until {@code condition} holds; fails after the bound. */
  static void await(BooleanSupplier condition, String what) {
    awaitTrue(condition, what);
  }

  RaftServer.Division division(int i) {
    return division(nodes.get(i));
  }

  private RaftServer.Division division(Node node) {
    try {
      return node.server.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long polls = MAX_WAIT_MILLIS / POLL_MILLIS;
    for (long n = 0; n < polls; n++) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    throw new AssertionError("gave up after " + MAX_WAIT_MILLIS + " ms waiting for " + what);
  }

  private static int port(RaftPeer peer) {
    String address = peer.getAddress();
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }


  /** Closes the clients, then every running node (server, then store). */
  @Override
  public void close() {
    for (RaftClient client : clients) {
      try {
        client.close();
      } catch (IOException e) {
        // closing: nothing left to do with it
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).running()) {
        stop(i);
      }
    }
  }
}
