package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import dev.coffer.server.CofferServer;
import dev.coffer.server.testing.LocalVaultCluster;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer cluster} against a real three-node cluster (the server's in-JVM fixture: Raft on
 * 127.0.0.1, each node's API in-process): every node's {@code peers} names the same leader,
 * {@code transfer-leader --to} moves it there, {@code snapshot} takes one on the node asked.
 */
@Timeout(240)
class ClusterCommandsOnAClusterTest {

  @TempDir Path dir;
  private final List<String> names = new ArrayList<>();
  private String adminToken;
  private String out;
  private String err;

  private int run(int node, String... args) {
    return run(config -> CofferClient.create(config,
        InProcessChannelBuilder.forName(names.get(node)).directExecutor()), args);
  }

  /**
   * Runs {@code coffer bench} with a connector that sends a configuration for
   * {@code 127.0.0.1:7000+i} to node i and counts the calls each node is sent.
   */
  private int bench(Map<Integer, AtomicInteger> calls, String... args) {
    List<String> all = new ArrayList<>(List.of("bench"));
    all.addAll(List.of(args));
    return run(config -> {
      int node = Integer.parseInt(config.address().substring("127.0.0.1:".length())) - 7000;
      AtomicInteger count = calls.computeIfAbsent(node, n -> new AtomicInteger());
      return CofferClient.create(config, InProcessChannelBuilder.forName(names.get(node))
          .directExecutor().intercept(new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
                CallOptions options, Channel next) {
              count.incrementAndGet();
              return next.newCall(method, options);
            }
          }));
    }, all.toArray(String[]::new));
  }

  private int run(Function<ClientConfig, CofferClient> connector, String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CliContext ctx = CliContext.builder().out(new PrintWriter(o, true))
        .err(new PrintWriter(e, true)).in(new BufferedReader(new StringReader("")))
        .env(Map.of(GlobalOptions.ENV_TOKEN, adminToken)).connector(connector).build();
    int exit = CofferCli.run(ctx, args);
    out = o.toString();
    err = e.toString();
    return exit;
  }

  @Test
  void benchSpread_sendsCallsToEveryNode_andEachServesThem() throws Exception {
    onCluster(cluster -> {
      int leader = cluster.awaitLeader();
      // Prepared through a follower (it forwards), measured on all three.
      int first = (leader + 1) % 3;
      String addr = "127.0.0.1:" + (7000 + first);
      String spread = "127.0.0.1:" + (7000 + leader) + ",127.0.0.1:"
          + (7000 + (leader + 2) % 3);
      Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
      assertEquals(0, bench(calls, "--addr", addr, "--spread", spread, "-c", "6",
          "--warmup", "200ms", "--duration", "500ms", "--max-ops", "60", "--apps", "2",
          "--secrets", "20", "--op", "verify", "--op", "reveal", "--op", "create", "-o",
          "json"), err);
      JsonObject report = JsonParser.parseString(out).getAsJsonObject();
      assertEquals(addr + "," + spread, report.get("address").getAsString());
      assertEquals(6, report.getAsJsonObject("parameters").get("channels").getAsInt());
      for (int i = 0; i < 3; i++) {
        // Two of the six connections go to each node.
        assertTrue(calls.containsKey(i) && calls.get(i).get() >= 10,
            "node " + i + " took calls: " + calls);
      }

      assertEquals(ExitCodes.USAGE, bench(calls, "--addr", addr, "--spread", spread,
          "--channels", "2", "--op", "verify"));
      assertTrue(err.contains("--channels 2 is fewer than the 3 nodes"), err);
    });
  }

  /** The bootstrap token, and each node's API on an in-process server of its own. */
  private void serve(LocalVaultCluster cluster, List<CofferServer> servers) throws Exception {
    adminToken = cluster.vault(0).directory().bootstrap().bootstrapIfEmpty()
        .map(t -> {
          try (var v = t.value()) {
            return v.reveal();
          }
        }).orElseThrow();
    for (int i = 0; i < 3; i++) {
      String name = InProcessServerBuilder.generateName();
      names.add(name);
      servers.add(CofferServer.builder(cluster.vault(i))
          .transport(InProcessServerBuilder.forName(name).directExecutor())
          .clock(cluster.clock()).backgroundJobs(List.of()).build().start());
    }
    cluster.awaitCaughtUpWith(0);
  }

  private JsonObject peers(int node) {
    assertEquals(0, run(node, "cluster", "peers", "--json"), err);
    return JsonParser.parseString(out).getAsJsonObject();
  }

  /** What a test does with a running three-node cluster whose nodes serve the API. */
  private interface ClusterWork {
    void run(LocalVaultCluster cluster) throws Exception;
  }

  /** Starts a three-node cluster, serves each node's API, runs {@code work}, stops it all. */
  private void onCluster(ClusterWork work) throws Exception {
    List<CofferServer> servers = new ArrayList<>();
    try (LocalVaultCluster cluster = LocalVaultCluster.start(dir, 3)) {
      try {
        serve(cluster, servers);
        work.run(cluster);
      } finally {
        for (CofferServer s : servers) {
          s.stop(Duration.ofSeconds(1));
        }
      }
    }
  }

  @Test
  void peersTransferLeaderAndSnapshot_onARealCluster() throws Exception {
    onCluster(this::exercise);
  }

  private void exercise(LocalVaultCluster cluster) throws Exception {
    int leader = cluster.awaitLeader();
    for (int i = 0; i < 3; i++) {
      int node = i;
      LocalVaultCluster.await(() -> peers(node).get("leaderId").getAsString()
          .equals("n" + leader), "node " + node + " to name the leader");
      assertEquals(3, peers(i).getAsJsonArray("peers").size());
    }
    assertEquals(0, run(leader, "cluster", "peers"), err);
    assertTrue(out.lines().anyMatch(l -> l.matches("role\\s+leader")), out);
    assertTrue(out.contains("ms ago"), "the leader knows when it heard from each: " + out);

    int target = (leader + 1) % 3;
    assertEquals(0, run((leader + 2) % 3, "cluster", "transfer-leader", "--to", "n" + target),
        err);
    assertTrue(out.lines().anyMatch(l -> l.matches("leader\\s+n" + target)), out);
    assertEquals(target, cluster.awaitLeader());

    assertEquals(0, run(leader, "cluster", "snapshot"), err);
    assertTrue(out.lines().anyMatch(l -> l.matches("node\\s+n" + leader)), out);
    long index = cluster.vault(leader).storage().cluster().orElseThrow().machine()
        .getLatestSnapshot().getIndex();
    assertTrue(out.lines().anyMatch(l -> l.matches("snapshot index\\s+" + index)), out);
  }
}
