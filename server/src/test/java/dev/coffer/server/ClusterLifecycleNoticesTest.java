package dev.coffer.server;

import static dev.coffer.server.testing.LocalVaultCluster.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.service.lifecycle.LifecycleNotice;
import dev.coffer.server.service.lifecycle.LifecycleSubscription;
import dev.coffer.server.service.lifecycle.LifecycleWatch;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestSecrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lifecycle state change made through one node of a cluster reaches the watches open on
 * every node, each once and in the order the changes were made: the notice travels through
 * the Raft log and every replica publishes it at apply. Without that, the bus being in-process,
 * a watch heard only of the changes made through its own node.
 */
class ClusterLifecycleNoticesTest {

  @TempDir Path dir;
  LocalVaultCluster cluster;
  String clientId;

  @BeforeEach
  void start() {
    cluster = LocalVaultCluster.start(dir, 3);
    Vault first = cluster.vault(0);
    first.directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
    first.directory().principals().create(as(first, "admin"), "default", "alice",
        PrincipalKind.USER, false);
    clientId = first.directory().applications().create(as(first, "admin"), "payments_api",
        "production", null, OAuthFlow.AUTHORIZATION_CODE, "alice").application().clientId();
    cluster.awaitCaughtUpWith(0);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aSecretRevokedAndDeletedThroughOneNode_isAnnouncedOnceToTheWatchesOfEveryNode() {
    List<LifecycleSubscription> watches = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      Vault v = cluster.vault(i);
      watches.add(v.lifecycle().events().subscribe(as(v, "alice").caller(),
          LifecycleWatch.everything(), () -> { }));
    }
    int through = cluster.aFollower();
    Vault v = cluster.vault(through);
    String id = TestSecrets.create(v, as(v, "alice"), clientId, SecretRequest.builder()
        .displayName("db").location("/").vaulted(true).build()).stored().metadata().secretId();
    v.secrets().secrets().revoke(as(v, "alice"), id, "");
    v.secrets().secrets().delete(as(v, "alice"), id, "");
    for (int i = 0; i < cluster.size(); i++) {
      List<String> seen = new ArrayList<>();
      LifecycleSubscription watch = watches.get(i);
      LocalVaultCluster.await(() -> {
        for (LifecycleNotice n = watch.poll(); n != null; n = watch.poll()) {
          if (n.resource().equals("secrets/" + id)) {
            seen.add(n.state());
          }
        }
        return seen.contains("DELETED");
      }, "node " + i + " to announce the deletion");
      assertEquals(List.of("REVOKED", "DELETED"), seen, "node " + i);
    }
  }
}
