package dev.coffer.server;

import static dev.coffer.server.DeployFiles.DEPLOY;
import static dev.coffer.server.DeployFiles.assertNoDumps;
import static dev.coffer.server.DeployFiles.at;
import static dev.coffer.server.DeployFiles.parse;
import static dev.coffer.server.DeployFiles.port;
import static dev.coffer.server.DeployFiles.promtool;
import static dev.coffer.server.DeployFiles.yamlDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped deployment files agree with the server they deploy: every server argument
 * in them is a real flag that parses, the ports they expose are the ports those flags
 * configure, and the Prometheus files pass {@code promtool}. (In package
 * {@code dev.coffer.server} to build the server's own command line.)
 */
class DeploymentArtifactsTest {

  private static final int GRPC_PORT = 7443;
  private static final int METRICS_PORT = 9464;

  @Test
  void statefulSetArgs_areRealServerFlags_andItsPortsMatchThem() throws IOException {
    Map<String, Object> sts = yamlDocuments("kubernetes/statefulset.yaml").get(0);
    assertEquals("StatefulSet", sts.get("kind"));
    Map<String, Object> container = at(sts, "spec", "template", "spec", "containers", 0);
    List<String> args = at(container, "args");
    CofferServerMain main = parse(args);
    assertEquals(GRPC_PORT, port(main.listen));
    assertEquals(METRICS_PORT, port(main.metricsListen));
    assertTrue(main.tlsCert != null && main.tlsKey != null, "a non-loopback listener needs TLS");
    List<Map<String, Object>> ports = at(container, "ports");
    assertEquals(Map.of("grpc", GRPC_PORT, "metrics", METRICS_PORT), Map.of(
        (String) ports.get(0).get("name"), ports.get(0).get("containerPort"),
        (String) ports.get(1).get("name"), ports.get(1).get("containerPort")));
    assertEquals(GRPC_PORT, (int) at(container, "readinessProbe", "grpc", "port"));
    assertEquals(GRPC_PORT, (int) at(container, "livenessProbe", "grpc", "port"));
    assertEquals(String.valueOf(METRICS_PORT), at(sts, "spec", "template", "metadata",
        "annotations", "prometheus.io/port"));
    assertEquals(Boolean.TRUE, at(sts, "spec", "template", "spec", "securityContext",
        "runAsNonRoot"));
    for (Map<String, Object> volume : List.<Map<String, Object>>of(
        at(sts, "spec", "template", "spec", "volumes", 0),
        at(sts, "spec", "template", "spec", "volumes", 1))) {
      assertEquals(0400, (int) at(volume, "secret", "defaultMode"),
          "key material is mounted owner-read-only: " + volume.get("name"));
    }
    String rootKey = args.stream().filter(a -> a.startsWith("--root-key=")).findFirst()
        .orElseThrow();
    assertTrue(rootKey.contains("/etc/coffer/root-key/"), "the root key is mounted from a Secret");
    assertFalse(args.contains("--dev"), "never --dev in a deployment");
    assertTrue(main.metricsListenPublic, "metrics beyond loopback are public on purpose");
    assertEquals(Path.of("/var/lib/coffer/bootstrap-token"), main.bootstrapTokenFile,
        "the bootstrap token goes to the data volume, never to the pod log");
    assertTrue(main.dataDir.startsWith("/var/lib/coffer/") && main.dataDir.getNameCount() > 3,
        "the data dir is a 0700 subdirectory of the fsGroup-shared volume: " + main.dataDir);
    assertEquals("OnRootMismatch", at(sts, "spec", "template", "spec", "securityContext",
        "fsGroupChangePolicy"), "the kubelet must not re-open the data dir to the group");
    List<String> command = at(container, "command");
    assertNoDumps("the StatefulSet's command", String.join(" ", command));
    assertTrue(command.get(command.size() - 2).contains("\"$@\""),
        "the container args reach the server: " + command);
  }

  @Test
  void serviceAndNetworkPolicy_exposeTheContainerPorts() throws IOException {
    Map<String, Object> svc = yamlDocuments("kubernetes/service.yaml").get(0);
    List<Map<String, Object>> ports = at(svc, "spec", "ports");
    assertEquals(List.of(GRPC_PORT, METRICS_PORT), ports.stream().map(p -> p.get("port"))
        .toList());
    assertEquals(List.of("grpc", "metrics"), ports.stream().map(p -> p.get("targetPort"))
        .toList());
    Map<String, Object> policy = yamlDocuments("kubernetes/networkpolicy.yaml").get(0);
    assertEquals(GRPC_PORT, (int) at(policy, "spec", "ingress", 0, "ports", 0, "port"));
    assertEquals(METRICS_PORT, (int) at(policy, "spec", "ingress", 1, "ports", 0, "port"));
    Map<String, Object> monitor = yamlDocuments("kubernetes/servicemonitor.yaml").get(0);
    assertEquals("metrics", at(monitor, "spec", "endpoints", 0, "port"));
  }

  @Test
  void exampleArgsFile_parses_andDockerfileAndSystemdUseIt() throws IOException {
    List<String> args = Files.readAllLines(DEPLOY.resolve("config/coffer-server.args")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    CofferServerMain main = parse(args);
    assertEquals(GRPC_PORT, port(main.listen));
    assertEquals(METRICS_PORT, port(main.metricsListen));
    assertTrue(main.metricsListenPublic, "metrics on 0.0.0.0 need the explicit flag");
    assertEquals(main.dataDir.resolve("bootstrap-token"), main.bootstrapTokenFile,
        "the bootstrap token goes to a file in the private data dir");
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("EXPOSE " + GRPC_PORT + " " + METRICS_PORT), dockerfile);
    assertTrue(dockerfile.contains("USER 10001:10001"), "the image runs as non-root");
    assertTrue(dockerfile.contains("@/etc/coffer/coffer-server.args"));
    assertTrue(dockerfile.contains("COPY deploy/config/coffer-server.args /etc/coffer/"));
    assertTrue(dockerfile.contains("HEALTHCHECK"));
    assertTrue(dockerfile.contains("ENV ROCKSDB_SHAREDLIB_DIR=/tmp"),
        "a crash-looping container keeps one copy of RocksDB's native library");
    assertTrue(dockerfile.contains("chmod 0700 /var/lib/coffer"), "the volume starts private");
    String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
        .orElseThrow();
    assertNoDumps("the Dockerfile's ENTRYPOINT", entrypoint);
    String unit = Files.readString(DEPLOY.resolve("systemd/coffer.service"));
    assertTrue(unit.contains("@/etc/coffer/coffer-server.args"), unit);
    assertTrue(unit.contains("User=coffer") && unit.contains("NoNewPrivileges=true"));
    assertTrue(unit.lines().anyMatch(l -> l.equals("LimitCORE=0")), "no core dumps: " + unit);
    assertTrue(unit.lines().anyMatch(l -> l.equals("StateDirectoryMode=0700")),
        "the data dir and the bootstrap token file are private: " + unit);
    assertTrue(main.dataDir.equals(Path.of("/var/lib/coffer")), "the StateDirectory");
    String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst()
        .orElseThrow();
    assertNoDumps("the systemd unit's ExecStart", execStart);
  }

  @Test
  void prometheusConfigAndRules_passPromtool() throws Exception {
    promtool("check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString());
    promtool("check", "rules", DEPLOY.resolve("prometheus/alerts.yml").toString());
    promtool("test", "rules", DEPLOY.resolve("prometheus/alerts_test.yml").toString());
  }

  @Test
  void grafanaDashboard_isValidJsonWithPanels() throws IOException {
    JsonObject dash = JsonParser.parseString(Files.readString(
        DEPLOY.resolve("grafana/coffer-dashboard.json"))).getAsJsonObject();
    assertEquals("Coffer", dash.get("title").getAsString());
    assertTrue(dash.getAsJsonArray("panels").size() >= 6);
    dash.getAsJsonArray("panels").asList().stream().map(p -> p.getAsJsonObject())
        .filter(p -> !"row".equals(p.get("type").getAsString()))
        .forEach(p -> assertFalse(p.getAsJsonArray("targets").get(0).getAsJsonObject()
            .get("expr").getAsString().isBlank(), p.get("title").toString()));
  }
}
