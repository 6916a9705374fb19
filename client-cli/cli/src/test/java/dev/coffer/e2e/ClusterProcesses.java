package dev.coffer.e2e;

import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Three server jars as one Raft cluster on 127.0.0.1 ({@code --dev}, plaintext Raft on
 * loopback): node {@code n0} is started with {@code --cluster-init} and
 * {@code --bootstrap-token-file}, the two others with a copy of its development root key
 * (every node must hold the same root key). Nodes can be killed with SIGKILL and restarted on
 * the same data dir and Raft port; each incarnation logs to its own files.
 *
 * <p>The leader is read from the nodes' own logs: Ratis logs each change of leader a node
 * sees ({@code n1@group-...: change Leader from n0 to n2 at term 3}); the leader is the one a
 * majority of the live nodes names at the highest term they report, and which is alive. (The
 * server exports no role of its own to the tests yet.) Every wait is bounded.
 */
final class ClusterProcesses implements AutoCloseable {

  static final int SIZE = 3;
  private static final Pattern LEADER_CHANGE = Pattern.compile(
      "(n\\d)@group-\\S+: change Leader from \\S+ to (\\S+) at term (\\d+)");

  private final Path dir;
  private final int[] raftPorts = new int[SIZE];
  private final ServerProcess[] nodes = new ServerProcess[SIZE];
  private final int[] incarnations = new int[SIZE];
  private final String peers;
  final Path tokenFile;
  private String adminToken;

  private ClusterProcesses(Path dir) throws IOException {
    this.dir = dir;
    List<String> list = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < SIZE; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        raftPorts[i] = s.getLocalPort();
        list.add(id(i) + "=127.0.0.1:" + raftPorts[i]);
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    this.peers = String.join(",", list);
    this.tokenFile = dir.resolve("admin.token");
  }

  /**
   * Starts the three nodes (node 0 first, the two others once its root key exists) and
   * waits, at most 90 s, until each prints its port, which a cluster node does once it knows
   * a leader and has caught up.
   */
  static ClusterProcesses start(Path dir) throws Exception {
    ClusterProcesses c = new ClusterProcesses(dir);
    ExecutorService pool = Executors.newFixedThreadPool(SIZE);
    try {
      List<Future<ServerProcess>> started = new ArrayList<>();
      started.add(pool.submit(() -> c.launch(0)));
      Path rootKey = c.dataDir(0).resolve("dev-root-key.json");
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!Files.exists(rootKey) && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      Thread.sleep(200); // the file is written then closed; a copy must not catch it half-way
      for (int i = 1; i < SIZE; i++) {
        Path data = Files.createDirectories(c.dataDir(i));
        Files.copy(rootKey, data.resolve("dev-root-key.json"),
            StandardCopyOption.REPLACE_EXISTING);
        int node = i;
        started.add(pool.submit(() -> c.launch(node)));
      }
      // Every node that started is kept, so close() stops it when another did not start: a
      // node left running would keep calling its peers' ports, which a later test may reuse
      // (the group id is fixed), and disturb that test's cluster.
      Exception failed = null;
      for (int i = 0; i < SIZE; i++) {
        try {
          c.nodes[i] = started.get(i).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
          failed = failed == null ? e : failed;
        }
      }
      if (failed != null) {
        throw failed;
      }
      c.adminToken = Files.readString(c.tokenFile, StandardCharsets.UTF_8).trim();
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  private ServerProcess launch(int i) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--metrics-listen", "off",
        "--cluster-node-id", id(i), "--cluster-address", "127.0.0.1:" + raftPorts[i],
        "--cluster-peers", peers));
    if (i == 0) {
      args.addAll(List.of("--cluster-init", "--bootstrap-token-file", tokenFile.toString()));
    }
    String name = id(i) + "-" + (++incarnations[i]);
    return ServerProcess.start(dataDir(i), dir, name, args.toArray(String[]::new));
  }

  static String id(int i) {
    return "n" + i;
  }

  Path dataDir(int i) {
    return dir.resolve("data-" + id(i));
  }

  String adminToken() {
    return adminToken;
  }

  boolean isUp(int i) {
    return nodes[i] != null;
  }

  ServerProcess node(int i) {
    if (nodes[i] == null) {
      throw new IllegalStateException(id(i) + " is down");
    }
    return nodes[i];
  }

  /** A client of node {@code i} as the bootstrap admin, no retries, the given deadline. */
  CofferClient client(int i, Duration deadline) {
    return ClientConfig.builder().address(node(i).address())
        .tokenSupplier(() -> adminToken).deadline(deadline).retries(false).connect();
  }

  /** SIGKILL ({@code Process.destroyForcibly}) of node {@code i}. */
  void kill(int i) throws InterruptedException {
    node(i).kill();
    nodes[i] = null;
  }

  /**
   * Starts node {@code i} again on its data dir and Raft port; waits (at most 60 s) until it
   * listens, which it does once it knows a leader and has caught up.
   */
  void restart(int i) throws IOException, InterruptedException {
    if (nodes[i] != null) {
      throw new IllegalStateException(id(i) + " is running");
    }
    nodes[i] = launch(i);
  }

  /** The leader a majority of the live nodes names, if it is alive; see the class comment. */
  Optional<Integer> leader() throws IOException {
    Map<Integer, int[]> latest = new HashMap<>(); // node -> {term, leader index or -1}
    for (int i = 0; i < SIZE; i++) {
      if (nodes[i] == null) {
        continue;
      }
      int[] seen = {-1, -1};
      for (int inc = 1; inc <= incarnations[i]; inc++) {
        Path err = dir.resolve(id(i) + "-" + inc + ".err");
        Matcher m = LEADER_CHANGE.matcher(Files.readString(err, StandardCharsets.UTF_8));
        while (m.find()) {
          int term = Integer.parseInt(m.group(3));
          if (term >= seen[0]) {
            seen[0] = term;
            seen[1] = m.group(2).matches("n\\d") ? Integer.parseInt(m.group(2).substring(1)) : -1;
          }
        }
      }
      latest.put(i, seen);
    }
    int maxTerm = latest.values().stream().mapToInt(s -> s[0]).max().orElse(-1);
    Map<Integer, Long> votes = latest.values().stream().filter(s -> s[0] == maxTerm)
        .filter(s -> s[1] >= 0).collect(Collectors.groupingBy(s -> s[1], Collectors.counting()));
    return votes.entrySet().stream()
        .filter(e -> e.getValue() >= SIZE / 2 + 1 && nodes[e.getKey()] != null)
        .map(Map.Entry::getKey).findFirst();
  }

  /** Waits (at most {@code limit}) for a live leader; throws if none appears. */
  int awaitLeader(Duration limit) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      Optional<Integer> leader = leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no leader within " + limit + " (read from Ratis's INFO "
        + "lines \"change Leader from ... to ... at term ...\" in the nodes' .err logs in " + dir
        + ")");
  }

  /** The node's grpc.health.v1 status for service "" (UNKNOWN when the call fails). */
  ServingStatus health(int i) {
    try (CofferClient c = client(i, Duration.ofSeconds(3))) {
      return c.health().check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } catch (RuntimeException e) {
      return ServingStatus.UNKNOWN;
    }
  }

  /** Waits (at most {@code limit}) until node {@code i} reports {@code status}. */
  boolean awaitHealth(int i, ServingStatus status, Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (health(i) == status) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** Node {@code i}'s output so far (its standard output and error). */
  String log(int i) throws IOException {
    return nodes[i].log();
  }

  /** Every live node's logs, for failure messages. */
  String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < SIZE; i++) {
      if (nodes[i] != null) {
        try {
          String log = nodes[i].log();
          b.append("--- ").append(id(i)).append(" (last 4000 chars)\n")
              .append(log.substring(Math.max(0, log.length() - 4000)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return b.toString();
  }

  /** SIGKILL to every live node (teardown: a clean stop is not what these tests check). */
  @Override
  public void close() {
    for (int i = 0; i < SIZE; i++) {
      if (nodes[i] != null) {
        nodes[i].close();
        nodes[i] = null;
      }
    }
  }
}
