package dev.coffer.server;

import static dev.coffer.server.DeployFiles.promtool;
import static dev.coffer.server.DeployFiles.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard's "Cluster" row charts what an operator of a cluster needs (role per
 * node, term, commit vs applied index, follower lag, leader changes, replication latency,
 * entry size, forwarded entries, snapshot age) from metrics the server exports; every query of
 * the dashboard is valid PromQL (promtool checks it as a recording rule); panels do not overlap.
 */
class ClusterDashboardTest {

  @TempDir Path rulesDir;

  private static JsonObject dashboard() throws Exception {
    return JsonParser.parseString(read("grafana/coffer-dashboard.json")).getAsJsonObject();
  }

  private static List<JsonObject> panels(JsonObject dash) {
    return dash.getAsJsonArray("panels").asList().stream().map(JsonElement::getAsJsonObject)
        .toList();
  }

  private static int grid(JsonObject panel, String field) {
    return panel.getAsJsonObject("gridPos").get(field).getAsInt();
  }

  private static List<String> exprs(JsonObject panel) {
    return panel.getAsJsonArray("targets").asList().stream()
        .map(t -> t.getAsJsonObject().get("expr").getAsString()).toList();
  }

  /** The panels below the row titled {@code title}, up to the next row. */
  private static List<JsonObject> row(JsonObject dash, String title) {
    List<JsonObject> all = panels(dash);
    List<JsonObject> rows = all.stream().filter(p -> "row".equals(p.get("type").getAsString()))
        .toList();
    List<JsonObject> titled = rows.stream()
        .filter(r -> title.equals(r.get("title").getAsString())).toList();
    assertEquals(1, titled.size(), "one row titled " + title);
    int top = grid(titled.get(0), "y");
    int bottom = rows.stream().mapToInt(r -> grid(r, "y")).filter(y -> y > top).min()
        .orElse(Integer.MAX_VALUE);
    return all.stream().filter(p -> !"row".equals(p.get("type").getAsString()))
        .filter(p -> grid(p, "y") > top && grid(p, "y") < bottom).toList();
  }

  @Test
  void clusterRow_chartsEveryClusterFigure_fromMetricsTheServerExports() throws Exception {
    List<JsonObject> cluster = row(dashboard(), "Cluster");
    Set<String> used = new TreeSet<>();
    for (JsonObject panel : cluster) {
      String title = panel.get("title").getAsString();
      assertEquals("${datasource}", panel.getAsJsonObject("datasource").get("uid").getAsString());
      assertFalse(panel.get("description").getAsString().isBlank(), title);
      for (String expr : exprs(panel)) {
        Set<String> names = ClusterContract.assertKnownMetrics(title, expr);
        assertFalse(names.isEmpty(), title + " charts a cluster metric: " + expr);
        used.addAll(names);
      }
    }
    for (String needed : List.of("coffer_cluster_role", "coffer_cluster_term",
        "coffer_cluster_commit_index", "coffer_cluster_applied_index",
        "coffer_cluster_follower_lag_entries", "coffer_cluster_leader_changes_total",
        "coffer_cluster_replication_seconds_bucket", "coffer_cluster_entry_bytes_sum",
        "coffer_cluster_entry_bytes_count", "coffer_cluster_forwarded_entries_total",
        "coffer_cluster_snapshot_age_seconds", "coffer_cluster_read_rounds_total",
        "coffer_cluster_read_barrier_calls_total", "coffer_cluster_clock_behind_seconds")) {
      assertTrue(used.contains(needed), "the Cluster row charts " + needed + ": " + used);
    }
    List<String> latency = cluster.stream().flatMap(p -> exprs(p).stream())
        .filter(e -> e.contains("coffer_cluster_replication_seconds_bucket")).toList();
    assertTrue(latency.stream().anyMatch(e -> e.startsWith("histogram_quantile(0.5,"))
        && latency.stream().anyMatch(e -> e.startsWith("histogram_quantile(0.99,")),
        "replication latency p50 and p99: " + latency);
  }

  @Test
  void everyQuery_isValidPromql() throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (JsonObject panel : panels(dashboard())) {
      if (panel.has("targets")) {
        for (String expr : exprs(panel)) {
          rules.append("      - record: dashboard:query_").append(n++).append('\n')
              .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
      }
    }
    assertTrue(n > 10, "queries found: " + n);
    Path file = rulesDir.resolve("dashboard-queries.yml");
    Files.writeString(file, rules);
    promtool("check", "rules", file.toString());
  }

  @Test
  void panels_haveDistinctIds_andDoNotOverlap() throws Exception {
    List<JsonObject> all = panels(dashboard());
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonObject p : all) {
      assertTrue(ids.add(p.get("id").getAsInt()), "id " + p.get("id") + " used twice");
      int[] box = {grid(p, "x"), grid(p, "y"), grid(p, "w"), grid(p, "h")};
      assertTrue(box[0] >= 0 && box[0] + box[2] <= 24, p.get("title") + " fits 24 columns");
      for (int[] other : boxes) {
        boolean apart = box[0] + box[2] <= other[0] || other[0] + other[2] <= box[0]
            || box[1] + box[3] <= other[1] || other[1] + other[3] <= box[1];
        assertTrue(apart, p.get("title") + " overlaps another panel");
      }
      boxes.add(box);
    }
  }
}
