package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.Vault;
import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.testing.LocalVaultCluster;
import dev.coffer.server.testing.TestVault;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code coffer_cluster_*} series of a three-node in-JVM cluster (127.0.0.1), read from
 * real Prometheus registries: the exact names the deploy/ alerts and dashboard use, the leader's
 * and a follower's values, the entry figures of a write, a snapshot's age, and a scrape that
 * {@code promtool check metrics} accepts.
 */
class ClusterMetricsTest {

  /** Every series name a cluster node exports, as deploy/'s ClusterContract lists them. */
  static final Set<String> NAMES = Set.of(
      "coffer_cluster_role", "coffer_cluster_has_leader", "coffer_cluster_term",
      "coffer_cluster_commit_index", "coffer_cluster_applied_index",
      "coffer_cluster_follower_lag_entries", "coffer_cluster_leader_changes_total",
      "coffer_cluster_entry_bytes_count", "coffer_cluster_entry_bytes_sum",
      "coffer_cluster_entry_bytes_max",
      "coffer_cluster_entry_events_count", "coffer_cluster_entry_events_sum",
      "coffer_cluster_entry_events_max",
      "coffer_cluster_replication_seconds_bucket", "coffer_cluster_replication_seconds_count",
      "coffer_cluster_replication_seconds_sum", "coffer_cluster_replication_seconds_max",
      "coffer_cluster_forwarded_entries_total",
      "coffer_cluster_read_rounds_total", "coffer_cluster_read_barrier_calls_total", "coffer_cluster_snapshot_age_seconds",
      "coffer_cluster_clock_behind_seconds",
      "coffer_cluster_serving");
  static final Pattern SERIES = Pattern.compile("^(coffer_cluster_[a-z_]+)[{ ]",
      Pattern.MULTILINE);

  @TempDir Path dir;
  LocalVaultCluster cluster;
  CofferMetrics[] metrics;

  @BeforeEach
  void start() {
    cluster = LocalVaultCluster.start(dir, 3);
    cluster.vault(0).directory().bootstrap().bootstrapIfEmpty().ifPresent(t -> t.value().close());
    metrics = new CofferMetrics[cluster.size()];
    for (int i = 0; i < cluster.size(); i++) {
      metrics[i] = CofferMetrics.create();
      metrics[i].cluster(node(i), Clock.systemUTC());
    }
    cluster.awaitCaughtUpWith(0);
  }

  @AfterEach
  void stop() {
    for (CofferMetrics m : metrics) {
      m.close();
    }
    cluster.close();
  }

  private ClusterNode node(int i) {
    return cluster.vault(i).storage().cluster().orElseThrow();
  }

  private double gauge(int i, String name, String... tags) {
    return registry(i).get(name).tags(tags).gauge().value();
  }

  private MeterRegistry registry(int i) {
    return metrics[i].registry();
  }

  @Test
  void theScrape_hasExactlyTheNamesTheAlertsUse_andPassesPromtool() throws Exception {
    int leader = cluster.awaitLeader();
    writeOn(leader, "bob");
    node(leader).operations().takeSnapshot();
    String text = metrics[leader].scrape();
    Set<String> names = new TreeSet<>();
    Matcher m = SERIES.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    assertEquals(new TreeSet<>(NAMES), names);
    for (String role : ClusterMetrics.ROLES) {
      assertTrue(text.contains("coffer_cluster_role{role=\"" + role + "\"}"), role);
    }
    Path scrape = dir.resolve("scrape.txt");
    Files.writeString(scrape, text, StandardCharsets.UTF_8);
    Process check = new ProcessBuilder(promtool(), "check", "metrics")
        .redirectInput(scrape.toFile()).redirectErrorStream(true).start();
    assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool did not finish in 60 s");
    String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, check.exitValue(), "promtool check metrics: " + said);
  }

  @Test
  void theLeaderAndAFollower_reportTheirRoles_theLagAndTheIndices() {
    int leader = cluster.awaitLeader();
    int follower = (leader + 1) % 3;
    LocalVaultCluster.await(() -> !node(follower).status().leaderId().isEmpty(),
        "the follower to know the leader");
    assertEquals(1, gauge(leader, "coffer.cluster.role", "role", "leader"));
    assertEquals(0, gauge(leader, "coffer.cluster.role", "role", "follower"));
    assertEquals(1, gauge(follower, "coffer.cluster.role", "role", "follower"));
    assertEquals(0, gauge(follower, "coffer.cluster.role", "role", "leader"));
    assertEquals(0, gauge(follower, "coffer.cluster.role", "role", "candidate"));
    for (int i = 0; i < 3; i++) {
      assertEquals(1, gauge(i, "coffer.cluster.has.leader"), "node " + i);
      assertEquals(1, gauge(i, "coffer.cluster.serving"), "node " + i);
      assertEquals(node(leader).status().term(), gauge(i, "coffer.cluster.term"), "node " + i);
      assertTrue(registry(i).get("coffer.cluster.leader.changes").functionCounter().count() >= 1,
          "node " + i + " saw the election");
    }
    writeOn(leader, "bob");
    cluster.awaitCaughtUpWith(leader);
    assertTrue(gauge(leader, "coffer.cluster.commit.index") > 0);
    assertTrue(gauge(follower, "coffer.cluster.applied.index")
        >= node(leader).status().appliedIndex() - 1, "caught up with the leader");
    for (String peer : Set.of("n" + follower, "n" + ((leader + 2) % 3))) {
      LocalVaultCluster.await(() -> gauge(leader, "coffer.cluster.follower.lag.entries",
          "peer", peer) == 0, "the leader to see " + peer + " caught up");
    }
    assertTrue(Double.isNaN(gauge(follower, "coffer.cluster.follower.lag.entries",
        "peer", "n" + leader)), "lag is the leader's figure: NaN on a follower");
    assertEquals(0, registry(leader).find("coffer.cluster.follower.lag.entries")
        .tag("peer", "n" + leader).gauges().size(), "no lag series for the node itself");
  }

  @Test
  void aWriteOnAFollower_isForwarded_measured_andASnapshotHasAnAge() {
    int follower = cluster.aFollower();
    double forwardedBefore = registry(follower).get("coffer.cluster.forwarded.entries")
        .functionCounter().count();
    long entriesBefore = registry(follower).get("coffer.cluster.entry.bytes").summary().count();
    writeOn(follower, "carol");
    assertTrue(registry(follower).get("coffer.cluster.forwarded.entries").functionCounter()
        .count() > forwardedBefore);
    var bytes = registry(follower).get("coffer.cluster.entry.bytes").summary();
    assertTrue(bytes.count() > entriesBefore);
    assertTrue(bytes.totalAmount() > 0);
    assertTrue(registry(follower).get("coffer.cluster.entry.events").summary().totalAmount()
        >= 1, "the principal's creation carried its audit event");
    var replication = registry(follower).get("coffer.cluster.replication").timer();
    assertTrue(replication.count() >= 1);
    assertTrue(replication.totalTime(TimeUnit.NANOSECONDS) > 0);

    assertTrue(Double.isNaN(gauge(follower, "coffer.cluster.snapshot.age")),
        "no snapshot yet: " + node(follower).machine().latestSnapshotTime());
    node(follower).operations().takeSnapshot();
    double age = gauge(follower, "coffer.cluster.snapshot.age");
    assertTrue(age >= 0 && age < 3600, "a snapshot just taken: " + age);
  }

  @Test
  void aReadOnAFollower_countsItsBarrierAndTheRoundItStarted() throws Exception {
    int follower = cluster.aFollower();
    double rounds = counter(follower, "coffer.cluster.read.rounds");
    double calls = counter(follower, "coffer.cluster.read.barrier.calls");
    node(follower).readBarrier().get(10, TimeUnit.SECONDS);
    assertEquals(calls + 1, counter(follower, "coffer.cluster.read.barrier.calls"));
    assertTrue(counter(follower, "coffer.cluster.read.rounds") >= rounds + 1,
        "the barrier asked the leader at least once");
  }

  private double counter(int i, String name) {
    return registry(i).get(name).functionCounter().count();
  }

  private void writeOn(int node, String principal) {
    Vault vault = cluster.vault(node);
    Principal system = new Principal("default", "admin", PrincipalKind.USER, true, true,
        TestVault.START);
    CallContext admin = new CallContext(vault.directory().principals().get(
        new CallContext(system, "req-test", "test"), "default", "admin"), "req-test", "test");
    vault.directory().principals().create(admin, "default", principal, PrincipalKind.USER,
        false);
  }

  private static String promtool() {
    String configured = System.getProperty("promtool");
    return Optional.ofNullable(configured).filter(s -> !s.isBlank()).orElse("promtool");
  }
}
