package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's cluster surface as issue 18 fixes it (flags and Prometheus metric names), which
 * the deployment files are built on, and a strict reader of a node's {@code --cluster-*}
 * arguments. While the server does not have these flags yet, the rest of a command line is
 * parsed by the server's real model and the cluster flags by {@link #parseClusterArgs}; once it
 * has them, the whole command line goes through the real model as well.
 */
final class ClusterContract {

  /** Every series name a cluster node exports (summaries and histograms by their parts). */
  static final Set<String> METRICS = Set.of(
      "coffer_cluster_role", "coffer_cluster_has_leader", "coffer_cluster_term",
      "coffer_cluster_commit_index", "coffer_cluster_applied_index",
      "coffer_cluster_follower_lag_entries", "coffer_cluster_leader_changes_total",
      "coffer_cluster_entry_bytes_count", "coffer_cluster_entry_bytes_sum",
      "coffer_cluster_entry_events_count", "coffer_cluster_entry_events_sum",
      "coffer_cluster_replication_seconds_bucket", "coffer_cluster_replication_seconds_count",
      "coffer_cluster_replication_seconds_sum", "coffer_cluster_forwarded_entries_total",
      "coffer_cluster_read_rounds_total", "coffer_cluster_read_barrier_calls_total",
      "coffer_cluster_snapshot_age_seconds", "coffer_cluster_clock_behind_seconds");

  /** The values of {@code coffer_cluster_role}'s {@code role} label. */
  static final Set<String> ROLES = Set.of("leader", "follower", "candidate");

  private static final Set<String> FLAGS = Set.of("--cluster-node-id", "--cluster-address",
      "--cluster-peers", "--cluster-init", "--cluster-dir", "--cluster-tls-cert",
      "--cluster-tls-key", "--cluster-tls-ca");
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,40}");
  private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d{1,5})");
  private static final Pattern METRIC = Pattern.compile("\\bcoffer_cluster_[a-z_]+");
  private static final Pattern ROLE = Pattern.compile("role\\s*=~?\\s*\"([^\"]*)\"");

  private ClusterContract() {}

  /** One voter's Raft address. */
  record Address(String host, int port) {
    static Address parse(String flag, String hostPort) {
      Matcher m = HOST_PORT.matcher(hostPort);
      assertTrue(m.matches(), flag + " is HOST:PORT: " + hostPort);
      int port = Integer.parseInt(m.group(2));
      assertTrue(port > 0 && port < 65536, flag + " port: " + hostPort);
      return new Address(m.group(1), port);
    }
  }

  /** A node's cluster flags, checked against the contract. */
  record ClusterArgs(String nodeId, Address address, Map<String, Address> peers, boolean init,
      String clusterDir, String tlsCert, String tlsKey, String tlsCa) {}

  /** A node's whole command line: the server's real parse, and its cluster flags. */
  record NodeArgs(CofferServerMain server, ClusterArgs cluster) {}

  /**
   * Parses a cluster node's arguments: the cluster flags by {@link #parseClusterArgs}, the rest
   * (or, once the server has the cluster flags, all of them) by the server's real model.
   */
  static NodeArgs parseNode(List<String> args) {
    List<String> rest = args.stream().filter(a -> !a.startsWith("--cluster-")).toList();
    ClusterArgs cluster = parseClusterArgs(args.stream()
        .filter(a -> a.startsWith("--cluster-")).toList());
    boolean serverKnowsCluster = DeployFiles.serverHasFlag("--cluster-node-id");
    CofferServerMain server = DeployFiles.parse(serverKnowsCluster ? args : rest);
    return new NodeArgs(server, cluster);
  }

  /**
   * Reads {@code --cluster-*} arguments ({@code --flag=value}); fails on an unknown or repeated
   * flag, a bad node id or address, a peer list without this node at its own address, or Raft
   * TLS flags given only in part.
   */
  static ClusterArgs parseClusterArgs(List<String> args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg : arg.substring(0, eq);
      assertTrue(FLAGS.contains(flag), "not a cluster flag of the contract: " + arg);
      assertFalse(given.containsKey(flag), "given twice: " + flag + " in " + args);
      given.put(flag, eq < 0 ? null : arg.substring(eq + 1));
    }
    boolean init = given.containsKey("--cluster-init");
    if (init) {
      assertEquals(null, given.get("--cluster-init"), "--cluster-init takes no value");
    }
    String nodeId = required(given, "--cluster-node-id");
    assertTrue(NODE_ID.matcher(nodeId).matches(), "--cluster-node-id: " + nodeId);
    Address address = Address.parse("--cluster-address", required(given, "--cluster-address"));
    Map<String, Address> peers = new LinkedHashMap<>();
    for (String peer : required(given, "--cluster-peers").split(",", -1)) {
      int eq = peer.indexOf('=');
      assertTrue(eq > 0, "--cluster-peers entries are ID=HOST:PORT: " + peer);
      String id = peer.substring(0, eq);
      assertTrue(NODE_ID.matcher(id).matches(), "--cluster-peers id: " + id);
      assertTrue(peers.put(id, Address.parse("--cluster-peers", peer.substring(eq + 1))) == null,
          "--cluster-peers names " + id + " twice");
    }
    assertEquals(address, peers.get(nodeId),
        "--cluster-peers holds this node at its --cluster-address: " + peers);
    List<String> tls = new ArrayList<>();
    for (String flag : List.of("--cluster-tls-cert", "--cluster-tls-key", "--cluster-tls-ca")) {
      if (given.get(flag) != null) {
        tls.add(given.get(flag));
      }
    }
    assertTrue(tls.isEmpty() || tls.size() == 3, "Raft TLS needs cert, key and CA: " + given);
    return new ClusterArgs(nodeId, address, peers, init, given.get("--cluster-dir"),
        given.get("--cluster-tls-cert"), given.get("--cluster-tls-key"),
        given.get("--cluster-tls-ca"));
  }

  private static String required(Map<String, String> given, String flag) {
    String value = given.get(flag);
    assertNotNull(value, flag + " is required: " + given.keySet());
    assertTrue(!value.isBlank(), flag + " is empty");
    return value;
  }

  /**
   * Fails unless every {@code coffer_cluster_*} name in {@code expr} is a series of
   * {@link #METRICS} and every {@code role} it selects is a {@link #ROLES} value; returns the
   * names found.
   */
  static Set<String> assertKnownMetrics(String where, String expr) {
    Set<String> found = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      if (!METRICS.contains(m.group())) {
        fail(where + ": " + m.group() + " is not a metric the server exports: " + expr);
      }
      found.add(m.group());
    }
    Matcher role = ROLE.matcher(expr);
    while (role.find()) {
      for (String value : role.group(1).split("\\|")) {
        assertTrue(ROLES.contains(value), where + ": no role " + value + " in " + expr);
      }
    }
    return found;
  }
}
