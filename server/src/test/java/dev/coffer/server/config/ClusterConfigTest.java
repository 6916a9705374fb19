package dev.coffer.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cluster flags, as ServerConfigBuilder maps and ClusterConfig checks them. */
class ClusterConfigTest {

  private static final Path DATA = Path.of("/srv/coffer");
  private static final String PEERS =
      "coffer-0=10.0.0.1:7000,coffer-1=10.0.0.2:7000,coffer-2=10.0.0.3:7000";
  private static final Path CERT = Path.of("/etc/coffer/raft.pem");
  private static final Path KEY = Path.of("/etc/coffer/raft.key");
  private static final Path CA = Path.of("/etc/coffer/raft-ca.pem");

  private static ServerConfigBuilder node() {
    return ServerConfig.builder(DATA).rootKeyUri("gcp-kms://projects/p/keys/k")
        .cluster("coffer-0", "10.0.0.1:7000", PEERS).clusterTls(CERT, KEY, CA);
  }

  @Test
  void withoutClusterFlags_theServerIsASingleNode() {
    assertTrue(ServerConfig.builder(DATA).dev(true).build().cluster().isEmpty());
  }

  @Test
  void aProductionNode_keepsItsPeersInOrder_andItsRaftDirDefaultsUnderTheDataDir() {
    ClusterConfig c = node().clusterInit(true).build().cluster().orElseThrow();
    assertEquals("coffer-0", c.nodeId());
    assertEquals(new HostPort("10.0.0.1", 7000), c.address());
    assertEquals(3, c.peers().size());
    assertEquals(new HostPort("10.0.0.3", 7000), c.peers().get("coffer-2"));
    assertTrue(c.init());
    assertEquals(DATA.resolve("raft"), c.raftDir());
    assertEquals(new ClusterConfig.RaftTls(CERT, KEY, CA), c.tls().orElseThrow());
  }

  @Test
  void devMode_allowsPlaintextRaft_onLoopbackOnly() {
    ClusterConfig c = ServerConfig.builder(DATA).dev(true)
        .cluster("n0", "127.0.0.1:7000", "n0=127.0.0.1:7000,n1=127.0.0.1:7001")
        .clusterDir(Path.of("/tmp/raft")).build().cluster().orElseThrow();
    assertTrue(c.tls().isEmpty());
    assertFalse(c.init());
    assertEquals(Path.of("/tmp/raft"), c.raftDir());
  }

  @Test
  void aSeed_isTheOnlyPeerWithInit_andAJoiner_namesTheGroupItJoins() {
    ClusterConfig seed = node().cluster("coffer-0", "10.0.0.1:7000", "coffer-0=10.0.0.1:7000")
        .clusterInit(true).clusterSeed(true).build().cluster().orElseThrow();
    assertTrue(seed.seed() && seed.init() && !seed.join());
    ClusterConfig joiner = node().cluster("coffer-1", "10.0.0.2:7000", PEERS).clusterJoin(true)
        .build().cluster().orElseThrow();
    assertTrue(joiner.join() && !joiner.init() && !joiner.seed());
    ClusterConfig plain = node().clusterInit(true).build().cluster().orElseThrow();
    assertFalse(plain.seed() || plain.join());
  }

  @Test
  void theElectionTimeout_defaultsTo500ms_andTakesTheOperatorsValue() {
    assertEquals(500, node().clusterInit(true).build().cluster().orElseThrow()
        .electionTimeoutMillis());
    assertEquals(2_500, node().clusterInit(true).clusterElectionTimeoutMillis(2_500).build()
        .cluster().orElseThrow().electionTimeoutMillis());
    assertEquals(100, node().clusterElectionTimeoutMillis(100).build().cluster().orElseThrow()
        .electionTimeoutMillis());
    assertEquals(60_000, node().clusterElectionTimeoutMillis(60_000).build().cluster()
        .orElseThrow().electionTimeoutMillis());
  }

  @Test
  void theClockTolerance_defaultsTo500ms_andTakesTheOperatorsValue() {
    assertEquals(500, node().build().cluster().orElseThrow().maxClockBehindMillis());
    assertEquals(2_000, node().clusterMaxClockBehindMillis(2_000).build().cluster()
        .orElseThrow().maxClockBehindMillis());
    assertEquals(100, node().clusterMaxClockBehindMillis(100).build().cluster().orElseThrow()
        .maxClockBehindMillis());
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refusal("a cluster node needs --cluster-node-id", b -> b.cluster(null, "10.0.0.1:7000",
            PEERS)),
        refusal("a cluster node needs", b -> b.cluster("coffer-0", "10.0.0.1:7000", null)),
        refusal("a cluster node needs", b -> ServerConfig.builder(DATA).dev(true)
            .clusterInit(true)),
        refusal("--cluster-node-id must be", b -> b.cluster("-bad", "10.0.0.1:7000", PEERS)),
        refusal("--cluster-node-id must be", b -> b.cluster("x".repeat(41), "10.0.0.1:7000",
            PEERS)),
        refusal("--cluster-address must be", b -> b.cluster("coffer-0", "10.0.0.1", PEERS)),
        refusal("--cluster-address must be", b -> b.cluster("coffer-0", "10.0.0.1:0", PEERS)),
        refusal("--cluster-peers must name this node", b -> b.cluster("coffer-9",
            "10.0.0.9:7000", PEERS)),
        refusal("--cluster-peers gives coffer-0 the address", b -> b.cluster("coffer-0",
            "10.0.0.1:7001", PEERS)),
        refusal("--cluster-peers: 'coffer-1' is not ID=HOST:PORT", b -> b.cluster("coffer-0",
            "10.0.0.1:7000", "coffer-0=10.0.0.1:7000,coffer-1")),
        refusal("--cluster-peers names coffer-0 twice", b -> b.cluster("coffer-0",
            "10.0.0.1:7000", "coffer-0=10.0.0.1:7000,coffer-0=10.0.0.2:7000")),
        refusal("--cluster-tls-cert, --cluster-tls-key and --cluster-tls-ca go together",
            b -> b.clusterTls(CERT, KEY, null)),
        refusal("the Raft port needs mutual TLS outside --dev", b -> b.clusterTls(null, null,
            null)),
        refusal("--cluster-seed needs --cluster-init", b -> b.clusterSeed(true)),
        refusal("--cluster-seed needs --cluster-peers to name this node alone (coffer-0)",
            b -> b.clusterInit(true).clusterSeed(true)),
        refusal("--cluster-join and --cluster-init exclude each other",
            b -> b.clusterInit(true).clusterJoin(true)),
        refusal("--cluster-join and --cluster-init exclude each other",
            b -> b.clusterInit(true).clusterSeed(true).clusterJoin(true)),
        refusal("--cluster-join needs --cluster-peers to name the members it joins",
            b -> b.cluster("coffer-0", "10.0.0.1:7000", "coffer-0=10.0.0.1:7000")
                .clusterJoin(true)),
        refusal("a cluster node needs", b -> ServerConfig.builder(DATA).dev(true)
            .clusterSeed(true)),
        refusal("a cluster node needs", b -> ServerConfig.builder(DATA).dev(true)
            .clusterJoin(true)),
        refusal("--cluster-election-timeout-ms must be from 100 to 60000",
            b -> b.clusterElectionTimeoutMillis(99)),
        refusal("--cluster-election-timeout-ms must be from 100 to 60000",
            b -> b.clusterElectionTimeoutMillis(60_001)),
        refusal("a cluster node needs", b -> ServerConfig.builder(DATA).dev(true)
            .clusterElectionTimeoutMillis(1_000)),
        refusal("--cluster-max-clock-behind-ms must be from 100 to 60000",
            b -> b.clusterMaxClockBehindMillis(99)),
        refusal("--cluster-max-clock-behind-ms must be from 100 to 60000",
            b -> b.clusterMaxClockBehindMillis(60_001)),
        refusal("a cluster node needs", b -> ServerConfig.builder(DATA).dev(true)
            .clusterMaxClockBehindMillis(1_000)),
        refusal("--cluster-peers names 10.0.0.1, not a loopback address",
            b -> ServerConfig.builder(DATA).dev(true).cluster("coffer-0", "10.0.0.1:7000",
                PEERS)));
  }

  private static Arguments refusal(String message, UnaryOperator<ServerConfigBuilder> change) {
    return Arguments.of(message, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void eachRefusal_namesItsFlag(String message, UnaryOperator<ServerConfigBuilder> change) {
    ConfigException e = assertThrows(ConfigException.class, () -> change.apply(node()).build());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
