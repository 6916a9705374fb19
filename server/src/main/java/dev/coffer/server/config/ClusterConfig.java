package dev.coffer.server.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How this server takes part in a replicated cluster: its node id, the Raft address it
 * listens on, every voter of the group (this node included), whether it may create the
 * cluster's keys on an empty store ({@code --cluster-init}), where its Raft log lives, and
 * the mutual TLS of the Raft port, and how a first start relates to existing data:
 * {@code --cluster-seed} starts a new group of one over a data dir that already holds a vault
 * (a restored backup, the survivor of a lost majority); {@code --cluster-join} starts a node
 * that waits, neither campaigning nor voting, until a member adds it ({@code coffer cluster
 * add}); and its election timeout ({@code --cluster-election-timeout-ms}): a follower that
 * hears no leader for a random time between it and twice it starts an election. Built by
 * {@link #parse}, which refuses a bad value with a {@link ConfigException}
 * naming the flag; the combinations of init, seed, join and peers are checked by the
 * constructor, so no path builds a seed that could meet other voters.
 *
 * <p>Security: outside development mode the Raft port requires mutual TLS, so a peer without
 * a certificate signed by {@code tls.caFile} can neither join nor propose; plaintext Raft is
 * allowed only with {@code --dev}, and then only on loopback addresses.
 */
public record ClusterConfig(String nodeId, HostPort address, Map<String, HostPort> peers,
    boolean init, Path raftDir, Optional<RaftTls> tls, boolean seed, boolean join,
    long electionTimeoutMillis, long maxClockBehindMillis) {

  /**
   * 500 ms: a follower's wait is drawn between 0.5 and 1 s, and Ratis checks it only when each
   * wait ends, so a killed leader is noticed 0.5 to 2 s after its last heartbeat (see
   * docs/cluster-operations.md, "Election timeout").
   */
  public static final long DEFAULT_ELECTION_TIMEOUT_MILLIS = 500;

  /**
   * 500 ms: how far a node's clock may be behind most of its peers' before it stops serving
   * (see {@code cluster.ClockCheck}); CockroachDB's default maximum clock offset.
   */
  public static final long DEFAULT_MAX_CLOCK_BEHIND_MILLIS = 500;

  /** The range {@code --cluster-max-clock-behind-ms} accepts. */
  static final long MIN_CLOCK_BEHIND_MILLIS = 100;
  static final long MAX_CLOCK_BEHIND_MILLIS = 60_000;

  /** The range {@code --cluster-election-timeout-ms} accepts. */
  static final long MIN_ELECTION_TIMEOUT_MILLIS = 100;
  static final long MAX_ELECTION_TIMEOUT_MILLIS = 60_000;

  /** Node ids: letters, digits and '-', 1 to 40, starting with a letter or digit. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,39}");

  /**
   * Whether {@code id} is a node id as {@code --cluster-node-id} accepts it (the operator API
   * checks the ids it is given with the same rule).
   */
  public static boolean isNodeId(String id) {
    return id != null && NODE_ID.matcher(id).matches();
  }

  /** The Raft port's certificate, key and the CA its peers' certificates must chain to. */
  public record RaftTls(Path certFile, Path keyFile, Path caFile) {}

  public ClusterConfig {
    peers = Map.copyOf(peers);
    if (join && init) {
      throw new ConfigException("--cluster-join and --cluster-init exclude each other: a node "
          + "that joins receives the cluster's keys and data from the group");
    }
    if (seed && !init) {
      throw new ConfigException("--cluster-seed needs --cluster-init: the seed is the node "
          + "that starts the new group (with the keys already in its data dir)");
    }
    if (seed && !(peers.size() == 1 && peers.containsKey(nodeId))) {
      throw new ConfigException("--cluster-seed needs --cluster-peers to name this node alone ("
          + nodeId + "): the seed starts a group of one, and the others join it afterwards "
          + "(--cluster-join, then coffer cluster add)");
    }
    if (electionTimeoutMillis < MIN_ELECTION_TIMEOUT_MILLIS
        || electionTimeoutMillis > MAX_ELECTION_TIMEOUT_MILLIS) {
      throw new ConfigException("--cluster-election-timeout-ms must be from "
          + MIN_ELECTION_TIMEOUT_MILLIS + " to " + MAX_ELECTION_TIMEOUT_MILLIS);
    }
    if (maxClockBehindMillis < MIN_CLOCK_BEHIND_MILLIS
        || maxClockBehindMillis > MAX_CLOCK_BEHIND_MILLIS) {
      throw new ConfigException("--cluster-max-clock-behind-ms must be from "
          + MIN_CLOCK_BEHIND_MILLIS + " to " + MAX_CLOCK_BEHIND_MILLIS);
    }
    if (join && peers.size() < 2) {
      throw new ConfigException("--cluster-join needs --cluster-peers to name the members it "
          + "joins besides this node");
    }
  }

  /** A node with the default clock tolerance. */
  public ClusterConfig(String nodeId, HostPort address, Map<String, HostPort> peers,
      boolean init, Path raftDir, Optional<RaftTls> tls, boolean seed, boolean join,
      long electionTimeoutMillis) {
    this(nodeId, address, peers, init, raftDir, tls, seed, join, electionTimeoutMillis,
        DEFAULT_MAX_CLOCK_BEHIND_MILLIS);
  }

  /** A node with the default election timeout. */
  public ClusterConfig(String nodeId, HostPort address, Map<String, HostPort> peers,
      boolean init, Path raftDir, Optional<RaftTls> tls, boolean seed, boolean join) {
    this(nodeId, address, peers, init, raftDir, tls, seed, join,
        DEFAULT_ELECTION_TIMEOUT_MILLIS);
  }

  /** A node that neither seeds nor joins: a member of the group {@code peers} forms. */
  public ClusterConfig(String nodeId, HostPort address, Map<String, HostPort> peers,
      boolean init, Path raftDir, Optional<RaftTls> tls) {
    this(nodeId, address, peers, init, raftDir, tls, false, false);
  }

  /**
   * Validates the cluster flags. {@code peersText} is {@code ID=HOST:PORT,...} and must name
   * this node at {@code addressText}; {@code raftDir} null means {@code dataDir/raft}.
   */
  public static ClusterConfig parse(String nodeId, String addressText, String peersText,
      boolean init, boolean seed, boolean join, Path raftDir, Path tlsCert, Path tlsKey,
      Path tlsCa, boolean dev, Path dataDir, long electionTimeoutMillis,
      long maxClockBehindMillis) {
    if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
      throw new ConfigException("--cluster-node-id must be 1 to 40 letters, digits or '-', "
          + "starting with a letter or digit, e.g. coffer-0");
    }
    HostPort address = addressText == null ? null : HostPort.parse(addressText).orElse(null);
    if (address == null || address.port() == 0) {
      throw new ConfigException("--cluster-address must be HOST:PORT with a port from 1 to "
          + "65535, e.g. 127.0.0.1:7000");
    }
    Map<String, HostPort> peers = parsePeers(peersText);
    HostPort self = peers.get(nodeId);
    if (self == null) {
      throw new ConfigException("--cluster-peers must name this node (" + nodeId + ")");
    }
    if (!self.equals(address)) {
      throw new ConfigException("--cluster-peers gives " + nodeId + " the address "
          + self.host() + ":" + self.port() + " but --cluster-address is "
          + address.host() + ":" + address.port());
    }
    int given = (tlsCert == null ? 0 : 1) + (tlsKey == null ? 0 : 1) + (tlsCa == null ? 0 : 1);
    if (given != 0 && given != 3) {
      throw new ConfigException("--cluster-tls-cert, --cluster-tls-key and --cluster-tls-ca go "
          + "together");
    }
    if (given == 0 && !dev) {
      throw new ConfigException("the Raft port needs mutual TLS outside --dev: give "
          + "--cluster-tls-cert, --cluster-tls-key and --cluster-tls-ca");
    }
    if (given == 0) {
      for (HostPort peer : peers.values()) {
        if (!isLoopback(peer.host())) {
          throw new ConfigException("--cluster-peers names " + peer.host() + ", not a loopback "
              + "address: a plaintext Raft port is for one machine only; give --cluster-tls-*");
        }
      }
    }
    Path dir = raftDir != null ? raftDir : dataDir.resolve("raft");
    Optional<RaftTls> tls = given == 0 ? Optional.empty()
        : Optional.of(new RaftTls(tlsCert, tlsKey, tlsCa));
    return new ClusterConfig(nodeId, address, peers, init, dir.toAbsolutePath().normalize(),
        tls, seed, join, electionTimeoutMillis, maxClockBehindMillis);
  }

  private static Map<String, HostPort> parsePeers(String text) {
    if (text == null || text.isBlank()) {
      throw new ConfigException("--cluster-peers must list every voter as ID=HOST:PORT,...");
    }
    Map<String, HostPort> peers = new LinkedHashMap<>();
    for (String item : text.split(",")) {
      int eq = item.indexOf('=');
      String id = eq < 0 ? "" : item.substring(0, eq).trim();
      Optional<HostPort> at = eq < 0 ? Optional.empty()
          : HostPort.parse(item.substring(eq + 1).trim());
      if (!NODE_ID.matcher(id).matches() || at.isEmpty() || at.get().port() == 0) {
        throw new ConfigException("--cluster-peers: '" + item.trim() + "' is not ID=HOST:PORT");
      }
      if (peers.put(id, at.get()) != null) {
        throw new ConfigException("--cluster-peers names " + id + " twice");
      }
    }
    if (peers.size() > 9) {
      throw new ConfigException("--cluster-peers: at most 9 voters");
    }
    return peers;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }
}
