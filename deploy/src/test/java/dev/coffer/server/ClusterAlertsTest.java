package dev.coffer.server;

import static dev.coffer.server.DeployFiles.REPO;
import static dev.coffer.server.DeployFiles.at;
import static dev.coffer.server.DeployFiles.yamlDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code coffer-cluster} alert rules are complete for an operator woken at night: each has
 * a severity, a summary, a description and a runbook section that exists in
 * docs/cluster-operations.md; each names only metrics the server exports; and each is covered
 * by alerts_test.yml both firing and silent (promtool runs those tests in
 * {@link DeploymentArtifactsTest}).
 */
class ClusterAlertsTest {

  private static final String RUNBOOK_PAGE = "docs/cluster-operations.md";

  private static List<Map<String, Object>> clusterRules() throws IOException {
    List<Map<String, Object>> groups = at(yamlDocuments("prometheus/alerts.yml").get(0),
        "groups");
    List<Map<String, Object>> cluster = groups.stream()
        .filter(g -> "coffer-cluster".equals(g.get("name"))).toList();
    assertEquals(1, cluster.size(), "one coffer-cluster group");
    return at(cluster.get(0), "rules");
  }

  /** GitHub's anchor of a markdown heading: lower case, punctuation dropped, '-' for spaces. */
  private static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  @Test
  void everyClusterAlert_saysWhatAndWhereItsRunbookIs() throws IOException {
    List<Map<String, Object>> rules = clusterRules();
    assertEquals(Set.of("CofferClusterNoLeader", "CofferClusterFollowerLagging",
        "CofferClusterFrequentElections", "CofferClusterNodeNotServing",
        "CofferClusterClockBehind"),
        rules.stream().map(r -> r.get("alert")).collect(Collectors.toSet()));
    Set<String> anchors = Files.readString(REPO.resolve(RUNBOOK_PAGE)).lines()
        .filter(l -> l.startsWith("#")).map(l -> anchor(l.replaceFirst("^#+\\s*", "")))
        .collect(Collectors.toSet());
    for (Map<String, Object> rule : rules) {
      String name = (String) rule.get("alert");
      assertTrue(Set.of("critical", "warning").contains(at(rule, "labels", "severity")), name);
      for (String annotation : List.of("summary", "description", "runbook_url")) {
        String text = at(rule, "annotations", annotation);
        assertTrue(text != null && !text.isBlank(), name + " has a " + annotation);
      }
      String runbook = at(rule, "annotations", "runbook_url");
      assertTrue(runbook.startsWith(RUNBOOK_PAGE + "#"), name + ": " + runbook);
      String section = runbook.substring(runbook.indexOf('#') + 1);
      assertEquals(name.toLowerCase(Locale.ROOT), section, "the runbook is the alert's section");
      assertTrue(anchors.contains(section), RUNBOOK_PAGE + " has a section " + section);
      assertFalse(ClusterContract.assertKnownMetrics(name, (String) rule.get("expr")).isEmpty(),
          name + " reads cluster metrics");
    }
  }

  @Test
  void everyClusterAlert_isTestedFiringAndSilent() throws IOException {
    List<Map<String, Object>> tests = at(yamlDocuments("prometheus/alerts_test.yml").get(0),
        "tests");
    for (Map<String, Object> rule : clusterRules()) {
      String name = (String) rule.get("alert");
      List<Map<String, Object>> cases = tests.stream()
          .flatMap(t -> ((List<Map<String, Object>>) at(t, "alert_rule_test")).stream())
          .filter(c -> name.equals(c.get("alertname"))).toList();
      assertTrue(cases.stream().anyMatch(c -> !((List<?>) c.get("exp_alerts")).isEmpty()),
          name + " is tested firing");
      assertTrue(cases.stream().anyMatch(c -> ((List<?>) c.get("exp_alerts")).isEmpty()),
          name + " is tested silent");
    }
  }
}
