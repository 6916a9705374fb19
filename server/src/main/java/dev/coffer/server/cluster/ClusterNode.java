package dev.coffer.server.cluster;

import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.cluster.DirectEntries.Applied;
import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.config.HostPort;
import dev.coffer.server.domain.CallDeadline;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.SwappableRocksStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.ExceptionDependentRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.util.JavaUtils;
import org.apache.ratis.util.TimeDuration;

/**
 * This server's member of the Coffer Raft group: a Ratis server (gRPC on the configured Raft
 * address, mutual TLS when configured) running a {@link CofferStateMachine} on the node's own
 * store, and a Raft client that sends this node's entries to whichever node leads.
 *
 * <p>Contract: {@link #propose} completes only after the entry is committed by a majority and
 * applied <em>on this node</em>, so a caller reads its own write here; an entry whose
 * expectations failed completes with CONCURRENT_CHANGE and changed nothing; a group without a
 * leader for longer than the client's retry budget completes with UNAVAILABLE. Every node may
 * propose: a follower's entries go to the leader through Ratis's client (it follows
 * NotLeaderException redirects), so calls never see "not leader"; the leader hands its own
 * straight to its Raft server ({@link DirectProposer}).
 *
 * <p>Security: entries are described in logs and messages by their size only; with TLS, a
 * peer or client without a certificate from the configured CA is refused by the transport.
 */
public final class ClusterNode implements AutoCloseable {

  /** The one group every Coffer cluster runs (a group id is fixed, not per deployment). */
  static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
      UUID.nameUUIDFromBytes("coffer.v1.cluster".getBytes(StandardCharsets.US_ASCII)));

  private final ClusterConfig config;
  private final CofferStateMachine machine;
  private final LateCheckpointSigner signer;
  private final RaftServer server;
  private final RaftClient client;
  private final ExecutorService localApply = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "coffer-cluster-apply-wait");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong forwarded = new AtomicLong();
  private final ExecutorService barrierRounds = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "coffer-cluster-read-barrier");
    t.setDaemon(true);
    return t;
  });
  private final ReadBarrier reads = new ReadBarrier(this::readIndexRound, barrierRounds);
  private final ClientId barrierClient = ClientId.randomId();
  private final AtomicLong barrierCalls = new AtomicLong();
  private final long applyWaitMillis;
  private final OwnDivision own;
  private final DirectProposer direct;
  private final Parameters parameters;
  private final RaftCallExecutors raftCalls;
  private volatile EntryListener entries = EntryListener.NONE;
  private final ClockCheck clocks;
  private final AtomicBoolean beaconPending = new AtomicBoolean();

  private ClusterNode(ClusterConfig config, CofferStateMachine machine,
      LateCheckpointSigner signer, RaftServer server, RaftClient client, long applyWaitMillis,
      Parameters parameters, RaftCallExecutors raftCalls, Clock clock) {
    this.parameters = parameters;
    this.clocks = new ClockCheck(config.nodeId(),
        Duration.ofMillis(config.maxClockBehindMillis()), clock, System::nanoTime);
    machine.onApplied(clocks::observe);
    this.raftCalls = raftCalls;
    this.config = config;
    this.machine = machine;
    this.signer = signer;
    this.server = server;
    this.client = client;
    this.applyWaitMillis = applyWaitMillis;
    this.own = new OwnDivision(server, GROUP_ID);
    this.direct = new DirectProposer(own, GROUP_ID, RaftPeerId.valueOf(config.nodeId()),
        machine.directEntries(), applyWaitMillis);
  }

  /**
   * Starts this node's Raft server over {@code store}, which is {@code database} behind a read
   * cache (snapshots are checkpoints of {@code database}; an installed one replaces it), formatting its Raft directory on the
   * first start, recovering it after) and its client. Returns at once: see
   * {@link #awaitReady}.
   */
  public static ClusterNode start(ClusterConfig config, ClusterTimeouts timeouts, KvStore store,
      SwappableRocksStore database, int checkpointInterval, Clock clock) {
    RatisLogging.quiet();
    LateCheckpointSigner signer = new LateCheckpointSigner();
    CofferStateMachine machine = new CofferStateMachine(store, database, checkpointInterval,
        signer);
    RaftGroup group = group(config.peers());
    RaftProperties properties = properties(config, timeouts);
    Parameters parameters = new Parameters();
    config.tls().ifPresent(tls -> GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(
        tls.keyFile().toFile(), tls.certFile().toFile(), tls.caFile().toFile(), true)));
    RaftCallExecutors raftCalls = new RaftCallExecutors(config.nodeId());
    GrpcConfigKeys.Server.setServicesCustomizer(parameters, raftCalls);
    RaftServer server = null;
    try {
      boolean formatted = Files.isDirectory(config.raftDir())
          && hasEntries(config.raftDir());
      ClusterSeed.prepare(config, store, formatted);
      // A joining node's Raft storage names no peer (Ratis's way to add a server, as its
      // MiniRaftCluster.addNewPeers does): it starts "not in the configuration", so it neither
      // campaigns nor votes until the leader adds it and sends it the group's snapshot. Named
      // with its future peers, two empty joiners would be a majority of the group and could
      // elect one of themselves over an empty log. Once added, the configuration Ratis stored
      // (raft-meta.conf) is the one used at every restart.
      RaftGroup serverGroup = config.join() ? RaftGroup.valueOf(GROUP_ID) : group;
      server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(config.nodeId()))
          .setGroup(serverGroup).setStateMachine(machine).setProperties(properties)
          .setParameters(parameters)
          .setOption(formatted ? StartupOption.RECOVER : StartupOption.FORMAT).build();
      server.start();
      RaftClient client = RaftClient.newBuilder().setRaftGroup(group)
          .setProperties(new RaftProperties()).setParameters(parameters)
          .setRetryPolicy(ExceptionDependentRetry.newBuilder()
              .setDefaultPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                  (int) (timeouts.proposeMillis() / 100), TimeDuration.valueOf(100,
                      TimeUnit.MILLISECONDS)))
              .setExceptionToPolicy(StateMachineException.class, RetryPolicies.noRetry())
              .build())
          .build();
      return new ClusterNode(config, machine, signer, server, client, timeouts.proposeMillis(),
          parameters, raftCalls, clock);
    } catch (CofferException e) {
      raftCalls.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        try {
          server.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      raftCalls.close();
      throw new CofferException(Reason.STORAGE_FAILURE,
          "the cluster node could not start: " + e.getClass().getSimpleName(), e);
    }
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.findAny().isPresent();
    }
  }

  static RaftGroup group(Map<String, HostPort> peers) {
    List<RaftPeer> list = new ArrayList<>();
    peers.forEach((id, at) -> list.add(RaftPeer.newBuilder().setId(id)
        .setAddress(at.host() + ":" + at.port()).build()));
    return RaftGroup.valueOf(GROUP_ID, list);
  }

  /** The Raft server properties of a node with {@code config} and {@code timeouts}. */
  static RaftProperties properties(ClusterConfig config, ClusterTimeouts timeouts) {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(config.raftDir().toFile()));
    GrpcConfigKeys.Server.setHost(properties, config.address().host());
    GrpcConfigKeys.Server.setPort(properties, config.address().port());
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties,
        TimeDuration.valueOf(timeouts.electionMinMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties,
        TimeDuration.valueOf(timeouts.electionMaxMillis(), TimeUnit.MILLISECONDS));
    ClusterSnapshots.configure(properties, timeouts.snapshotEveryEntries());
    // A follower appends each batch into its log as it receives it, and answers once the batch
    // is flushed. Ratis 3.3.0's composed path (the default) answered a batch sent again from an
    // index still being appended with the earlier batch's outcome, acknowledging up to the
    // longer batch's end entries it never wrote (FollowerAcknowledgementTest): the leader then
    // counted them towards a majority and never sent them again.
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(properties, false);
    // Reads: ReadIndex on every node; the leader answers from its lease (it cannot have been
    // deposed within a fraction of the minimum election timeout after the last majority
    // heartbeat), a follower asks the leader for its commit index and waits to apply it.
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
    return properties;
  }

  /**
   * Waits (at most {@code millis}) until this node knows a leader and has applied every entry
   * committed when it learnt of it: a node that just started or joined has caught up.
   *
   * @return whether it is ready
   */
  public boolean awaitReady(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      DivisionInfo info = info();
      if (info.getLeaderId() != null && (info.isLeader() ? info.isLeaderReady() : true)) {
        long commit = division().getRaftLog().getLastCommittedIndex();
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return machine.awaitApplied(commit, Math.max(0, left));
      }
      Thread.sleep(20);
    }
    return false;
  }

  /**
   * Proposes {@code entry} (a {@link ReplicatedBatch} encoding) and completes once it is
   * applied on this node; see the class contract for failures.
   */
  public CompletableFuture<Void> propose(byte[] entry) {
    return propose(entry, 0, deadline());
  }

  /**
   * Until when a write made now may be proposed and taken (epoch milliseconds): the call's
   * {@link CallDeadline}, or the proposal budget from now when the call has none (internal
   * writes, calls without a deadline).
   */
  long deadline() {
    return CallDeadline.current().orElse(System.currentTimeMillis() + applyWaitMillis);
  }

  /**
   * {@link #propose}, telling the {@link EntryListener} that it carries {@code events}; a
   * leader takes the entry only until {@code deadlineMillis} (epoch milliseconds, on the
   * leader's clock), after which it fails with CALL_DEADLINE_PASSED.
   */
  public CompletableFuture<Void> propose(byte[] entry, int events, long deadlineMillis) {
    if (!isLeader()) {
      forwarded.incrementAndGet();
    }
    long start = System.nanoTime();
    Message message = ReplicatedBatch.proposal(entry, deadlineMillis);
    CompletableFuture<Applied> sent = isLeader()
        ? direct.propose(message, () -> viaClient(message))
        : viaClient(message);
    // The listener runs before the caller's future completes, so a caller that waited sees
    // its entry counted.
    return sent.thenApplyAsync(this::appliedHere, localApply)
        .whenComplete((ok, failure) -> tell(entry.length, events, start, failure == null));
  }

  private void tell(int bytes, int events, long start, boolean applied) {
    try {
      entries.proposed(bytes, events, System.nanoTime() - start, applied);
    } catch (RuntimeException e) {
      // a listener's failure is not the write's: the write's outcome stands
    }
  }

  /** Replaces the {@link EntryListener} (one at a time: the metrics'). */
  public void onEntry(EntryListener listener) {
    this.entries = Objects.requireNonNull(listener, "listener");
  }

  /** Leadership, snapshots and membership of the group, for operators. */
  public ClusterOperations operations() {
    return new ClusterOperations(this);
  }

  Parameters parameters() {
    return parameters;
  }

  /**
   * A leader that is handing over leadership refuses new entries before appending them
   * (LeaderSteppingDownException): safe to send again, and the handover takes a moment, so the
   * entry is sent again every 100 ms for up to 10 s, by this policy.
   */
  private static final RetryPolicy STEPPING_DOWN = RetryPolicies
      .retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS));

  /** Through the Raft client, which finds the leader (a follower's entries, always). */
  private CompletableFuture<Applied> viaClient(Message message) {
    return viaClient(message, 1);
  }

  private CompletableFuture<Applied> viaClient(Message message, int attempt) {
    return client.async().send(message).handle((reply, failure) -> {
      Throwable cause = failure != null ? JavaUtils.unwrapCompletionException(failure)
          : reply.isSuccess() ? null : reply.getException();
      if (cause instanceof LeaderSteppingDownException) {
        RetryPolicy.Action action = STEPPING_DOWN.handleAttemptFailure(() -> attempt);
        if (action.shouldRetry()) {
          Executor later = CompletableFuture.delayedExecutor(
              action.getSleepTime().toLong(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
          return CompletableFuture.supplyAsync(() -> null, later)
              .thenCompose(ignored -> viaClient(message, attempt + 1));
        }
      }
      if (failure != null) {
        return CompletableFuture.<Applied>failedFuture(failure);
      }
      if (!reply.isSuccess()) {
        throw cause == null
            ? new CofferException(Reason.STORAGE_FAILURE, "the cluster refused the write")
            : refusal(cause);
      }
      return CompletableFuture.completedFuture(new Applied(reply.getLogIndex(),
          reply.getMessage().getContent().toByteArray()));
    }).thenCompose(next -> next);
  }

  private Void appliedHere(Applied applied) {
    ApplyOutcome outcome = ApplyOutcome.decode(applied.outcome());
    try {
      if (!machine.awaitApplied(applied.index(), applyWaitMillis)) {
        throw new CofferException(Reason.STORAGE_FAILURE,
            "the write committed but this node has not applied it yet; read again shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CofferException(Reason.SHUTTING_DOWN, "interrupted while applying a write");
    }
    switch (outcome.status()) {
      case APPLIED:
        return null;
      case EXPECTATION_FAILED:
        throw new CofferException(Reason.CONCURRENT_CHANGE,
            "the records changed while this write was prepared; read them again");
      default:
        throw new CofferException(Reason.STORAGE_FAILURE, "the cluster refused a malformed write");
    }
  }

  /**
   * Completes once this node may serve a linearizable read: it has applied at least every
   * entry the group had committed when the call was made (Ratis ReadIndex; concurrent callers
   * share one round, see {@link ReadBarrier}). Fails with UNAVAILABLE when no leader answers,
   * and at once with {@link NodeNotServingException} while this node's clock is behind its
   * peers' ({@link ClockCheck}).
   */
  public CompletableFuture<Void> readBarrier() {
    String clockBehind = clocks.behindReason();
    if (!clockBehind.isEmpty()) {
      return CompletableFuture.failedFuture(new NodeNotServingException(clockBehind));
    }
    return reads.await();
  }

  /**
   * One ReadIndex round, handed straight to this node's own Raft division on the calling
   * thread ({@link OwnDivision}: no client, no RPC to itself, no executor hop): on the leader,
   * Ratis answers from its lease with its commit index, without a network round; on a
   * follower, the server asks the leader for it. Either way the round completes once this
   * node has applied that index.
   */
  private CompletableFuture<?> readIndexRound() {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(barrierClient)
        .setServerId(RaftPeerId.valueOf(config.nodeId()))
        .setGroupId(GROUP_ID)
        .setCallId(barrierCalls.incrementAndGet())
        .setMessage(Message.EMPTY)
        .setType(RaftClientRequest.readRequestType())
        .setTimeoutMs(ReadBarrier.ROUND_MILLIS)
        .build();
    return own.submit(request).thenApply(reply -> {
          if (!reply.isSuccess()) {
            throw new CofferException(Reason.STORAGE_FAILURE, "no linearizable read now: "
                + (reply.getException() == null ? "no reason given"
                    : reply.getException().getClass().getSimpleName()));
          }
          return reply;
        });
  }

  /** {@link #propose}, waiting; the failure is the proposal's own {@link CofferException}. */
  public void proposeAndWait(byte[] entry) {
    await(propose(entry));
  }

  /**
   * Waits for {@code write}, at most until the call's {@link CallDeadline} when it has one
   * (then CALL_DEADLINE_PASSED: its outcome is unknown), and throws its failure as the caller
   * should see it.
   */
  static void await(CompletableFuture<Void> write) {
    OptionalLong callDeadline = CallDeadline.current();
    try {
      if (callDeadline.isEmpty()) {
        write.join();
      } else {
        write.get(Math.max(0, callDeadline.getAsLong() - System.currentTimeMillis()),
            TimeUnit.MILLISECONDS);
      }
    } catch (CompletionException e) {
      throw unwrap(e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new CofferException(Reason.CALL_DEADLINE_PASSED, "the call's deadline passed "
          + "before the cluster committed its write; read before writing again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CofferException(Reason.SHUTTING_DOWN, "interrupted while committing a write");
    }
  }

  /** The cause a proposal's future failed with, as the exception a caller should see. */
  public static RuntimeException unwrap(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null
        ? e.getCause() : e;
    if (cause instanceof CofferException c) {
      return c;
    }
    if (cause instanceof StateMachineException) {
      return refusal(cause);
    }
    return new CofferException(Reason.STORAGE_FAILURE,
        "the cluster could not commit the write: " + cause.getClass().getSimpleName(), cause);
  }

  /**
   * What a caller is told of an entry the leader refused before its log ({@code refused}, its
   * StateMachineException): CALL_DEADLINE_PASSED when the entry's deadline had passed, else
   * STORAGE_FAILURE naming the exception's type (its message may quote the entry's checks).
   */
  static CofferException refusal(Throwable refused) {
    if (String.valueOf(refused.getMessage()).contains(CofferStateMachine.EXPIRED)) {
      return new CofferException(Reason.CALL_DEADLINE_PASSED, "the call's deadline passed "
          + "before the cluster took the write; read before writing again");
    }
    return new CofferException(Reason.STORAGE_FAILURE,
        "the cluster refused the write: " + refused.getClass().getSimpleName());
  }

  /**
   * Hands the keyring's audit signer to the state machine, which signs the checkpoints of the
   * events it chains (entries that need one wait for it, see {@link LateCheckpointSigner}).
   */
  public void bindCheckpointSigner(CheckpointSigner keyringSigner) {
    signer.bind(keyringSigner);
  }

  /**
   * Asks every member to take a snapshot now (best effort, each at most 30 s): after a
   * replicated purge, so the Raft log segments that still hold the purged bytes can be
   * trimmed (see docs/cluster-design.md, "Snapshots"). Returns how many members did.
   */
  public int snapshotEveryMember() {
    int taken = 0;
    for (RaftPeer peer : division().getGroup().getPeers()) {
      try {
        RaftClientReply reply = client.getSnapshotManagementApi(peer.getId()).create(30_000);
        taken += reply.isSuccess() ? 1 : 0;
      } catch (IOException | RuntimeException e) {
        // a member that is down snapshots on its own schedule and trims its log then
      }
    }
    return taken;
  }

  /**
   * Proposes this node's clock beacon (see {@link ClockCheck}); run every
   * {@link ClockCheck#PERIOD}. Does not wait. While one is still pending (no quorum: Ratis's
   * client keeps resending it), none is added, so an outage does not pile beacons up; one
   * that commits late only looks older than it is, which never makes a clock look behind.
   *
   * @return whether a beacon was proposed
   */
  public boolean sendClockBeacon() {
    if (!beaconPending.compareAndSet(false, true)) {
      return false;
    }
    try {
      propose(ReplicatedBatch.encode(clocks.beacon()))
          .whenComplete((ok, failure) -> beaconPending.set(false));
    } catch (RuntimeException e) {
      beaconPending.set(false);
      throw e;
    }
    return true;
  }

  /** How far this node's clock is known to be behind a peer's, in milliseconds (0: not). */
  public long clockBehindMillis() {
    return clocks.behindMillis();
  }

  /** Whether this node leads the group now. */
  public boolean isLeader() {
    return info().isLeader();
  }

  /** This node's view of the group: role, term, leader, indices. */
  public ClusterStatus status() {
    return ClusterStatus.of(config.nodeId(), division(), machine, forwarded.get(),
        clocks.refresh());
  }

  /** Linearizable read rounds this node has started (on a follower, each asks the leader). */
  public long readRounds() {
    return reads.rounds();
  }

  /** Calls that have waited for a linearizable read barrier on this node. */
  public long readBarrierCalls() {
    return reads.callers();
  }

  /** The state machine, for tests and the metrics. */
  public CofferStateMachine machine() {
    return machine;
  }

  /** Configuration this node was started with. */
  public ClusterConfig config() {
    return config;
  }

  RaftServer.Division division() {
    try {
      return server.getDivision(GROUP_ID);
    } catch (IOException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "the cluster group is not running", e);
    }
  }

  private DivisionInfo info() {
    return division().getInfo();
  }

  /** Stops the client, then the Raft server (the store is the caller's). */
  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "the Raft server did not close", e);
    } finally {
      localApply.shutdownNow();
      barrierRounds.shutdownNow();
      raftCalls.close();
    }
  }
}
