package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft port with mutual TLS: the cluster forms and replicates over it, and a client
 * without a certificate, or with one from another CA, cannot propose anything.
 */
class RaftTlsTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;
  TestCertificates.Ca ca;

  @BeforeEach
  void start() throws Exception {
    ca = TestCertificates.ca(dir, "raft-ca");
    TestCertificates.Pem node = TestCertificates.server(dir, ca, "raft-node", 2);
    cluster = LocalVaultCluster.start(dir.resolve("nodes"), 3,
        Optional.of(new ClusterConfig.RaftTls(node.cert(), node.key(), ca.pem().cert())));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static final byte[] KEY = "tls/probe".getBytes(StandardCharsets.US_ASCII);

  @Test
  void theClusterReplicatesOverMutualTls() {
    int follower = cluster.aFollower();
    cluster.vault(follower).storage().store().commit(new Changes().put(Table.META, KEY,
        new byte[] {1}));
    cluster.awaitCaughtUpWith(follower);
    for (int i = 0; i < cluster.size(); i++) {
      assertTrue(cluster.vault(i).storage().store().get(Table.META, KEY).isPresent(),
          "node " + i);
    }
  }

  @Test
  void aClientWithoutACertificate_cannotPropose() throws Exception {
    assertRefused(new Parameters());
  }

  @Test
  void aClientWithACertificateFromAnotherCa_cannotPropose() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("other"));
    TestCertificates.Ca other = TestCertificates.ca(elsewhere, "other-ca");
    TestCertificates.Pem stranger = TestCertificates.server(elsewhere, other,
        "stranger", 3);
    Parameters parameters = new Parameters();
    GrpcConfigKeys.TLS.setConf(parameters, new GrpcTlsConfig(stranger.key().toFile(),
        stranger.cert().toFile(), ca.pem().cert().toFile(), true));
    assertRefused(parameters);
  }

  private void assertRefused(Parameters parameters) throws IOException {
    try (RaftClient client = RaftClient.newBuilder()
        .setRaftGroup(ClusterNode.group(cluster.peers())).setProperties(new RaftProperties())
        .setParameters(parameters)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build()) {
      byte[] entry = ReplicatedBatch.encode(new Changes().put(Table.META, KEY, new byte[] {2}));
      assertThrows(Exception.class, () -> client.io().send(ReplicatedBatch.message(entry)));
    }
    for (int i = 0; i < cluster.size(); i++) {
      assertFalse(cluster.vault(i).storage().store().get(Table.META, KEY).isPresent(),
          "node " + i + " applied an entry from a client it should not trust");
    }
  }
}
