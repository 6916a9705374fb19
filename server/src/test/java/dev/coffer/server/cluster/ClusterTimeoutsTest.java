package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.config.HostPort;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** The election timeout an operator gives is the one Ratis runs with. */
class ClusterTimeoutsTest {

  private static final HostPort SELF = new HostPort("127.0.0.1", 7000);

  @Test
  void theDefaults_waitHalfASecondToASecond() {
    assertEquals(500, ClusterTimeouts.DEFAULTS.electionMinMillis());
    assertEquals(1_000, ClusterTimeouts.DEFAULTS.electionMaxMillis());
  }

  @Test
  void anElectionTimeout_becomesRatissRange_fromItToTwiceIt() {
    ClusterTimeouts t = ClusterTimeouts.DEFAULTS.withElectionTimeout(2_000);
    assertEquals(ClusterTimeouts.DEFAULTS.proposeMillis(), t.proposeMillis());
    assertEquals(ClusterTimeouts.DEFAULTS.snapshotEveryEntries(), t.snapshotEveryEntries());
    ClusterConfig config = new ClusterConfig("n0", SELF, Map.of("n0", SELF), true,
        Path.of("/tmp/raft"), Optional.empty(), false, false, 2_000);
    RaftProperties p = ClusterNode.properties(config, t);
    assertEquals(2_000, RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(TimeUnit.MILLISECONDS));
    assertEquals(4_000, RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(TimeUnit.MILLISECONDS));
  }

  @Test
  void aTimeoutBelowRatissFloor_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> ClusterTimeouts.DEFAULTS.withElectionTimeout(10));
  }
}
