package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestSecrets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follower read leases on a real three-node group (127.0.0.1): a follower holding one serves
 * reads without asking the leader and still sees every write acknowledged before the read,
 * whichever node took it; a holder that stops does not stop writes (see
 * {@code cluster.LeaseGateClusterTest} for how long they wait for it).
 */
class ClusterReadLeaseTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;

  @BeforeEach
  void start() {
    cluster = LocalVaultCluster.startWithReadLeases(dir, 3);
    cluster.vault(0).directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
    cluster.awaitCaughtUpWith(0);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ClusterNode node(int i) {
    return cluster.vault(i).storage().cluster().orElseThrow();
  }

  /** Passes a read barrier on {@code i} until one is served under its lease. */
  private void awaitLease(int i) {
    LocalVaultCluster.await(() -> {
      long before = node(i).leaseReads();
      node(i).readBarrier().join();
      return node(i).leaseReads() > before;
    }, "node " + i + " serving reads under a lease");
  }

  /** Creates an application named {@code name} on node {@code i}; returns its client id. */
  private String application(int i, String name) {
    Vault vault = cluster.vault(i);
    CallContext admin = LocalVaultCluster.as(vault, "admin");
    return vault.directory().applications().create(admin, name, "production", null,
        OAuthFlow.CLIENT_CREDENTIALS, "admin").application().clientId();
  }

  @Test
  void aFollowerReadingUnderItsLease_seesEveryWriteAcknowledgedBefore_onAnyNode()
      throws Exception {
    int leader = cluster.awaitLeader();
    int reader = cluster.aFollower();
    int other = 3 - leader - reader;
    awaitLease(reader);
    long leaseReadsBefore = node(reader).leaseReads();
    Vault readerVault = cluster.vault(reader);
    CallContext admin = LocalVaultCluster.as(readerVault, "admin");
    int rounds = 40;
    for (int n = 0; n < rounds; n++) {
      int writer = n % 2 == 0 ? leader : other; // the leader's own, and a forwarded one
      String app = application(writer, "lease_app_" + n);
      String secretId = TestSecrets.create(cluster.vault(writer),
          LocalVaultCluster.as(cluster.vault(writer), "admin"), app,
          SecretRequest.builder().displayName("db").location("/").vaulted(true)
              .preapproveOwner(true).build()).stored().metadata().secretId();
      node(reader).readBarrier().get(10, TimeUnit.SECONDS);
      assertEquals(secretId, readerVault.secrets().secrets().get(admin, secretId).secretId(),
          "round " + n + ": the write acknowledged on node " + writer + " is read on " + reader);
    }
    assertTrue(node(reader).leaseReads() - leaseReadsBefore >= rounds / 2,
        "the reads were served under the lease, not by barrier rounds");
  }

  @Test
  void aStoppedLeaseHolder_doesNotStopWrites() {
    int leader = cluster.awaitLeader();
    int holder = cluster.aFollower();
    awaitLease(holder);
    cluster.stop(holder);
    application(leader, "after_the_holder_stopped");
    application(leader, "and_the_next");
  }
}
