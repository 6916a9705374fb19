package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The shipped deployment files agree with the server they deploy: every server argument
 * in them is a real flag that parses, the ports they expose are the ports those flags
 * configure, and the Prometheus files pass {@code promtool}. (In package
 * {@code dev.coffer.server} to build the server's own command line.)
 */
class DeploymentArtifactsTest {

  private static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).resolve(".")
      .toAbsolutePath().normalize();
  private static final int GRPC_PORT = 7443;
  private static final int METRICS_PORT = 9464;

  /** Parses server arguments with the server's real picocli model; fails on unknown flags. */
  private static CofferServerMain parse(List<String> args) {
    CofferServerMain main = new CofferServerMain(new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    try {
      new CommandLine(main).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      fail("not valid coffer-server arguments: " + e.getMessage() + " in " + args);
    }
    return main;
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> yamlDocuments(String file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(Files.readString(DEPLOY.resolve(file)))) {
      docs.add((Map<String, Object>) doc);
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      current = step instanceof Integer i ? ((List<Object>) current).get(i)
          : ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

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

  /**
   * A server command line that can leave no copy of its memory on disk: no core dump, no
   * heap dump (whatever JAVA_TOOL_OPTIONS says), no attach for jcmd/jmap.
   */
  private static void assertNoDumps(String where, String commandLine) {
    assertTrue(commandLine.contains("ulimit -c 0") || where.contains("systemd"),
        where + " disables core dumps: " + commandLine);
    assertTrue(commandLine.contains("-XX:-HeapDumpOnOutOfMemoryError"), where + ": "
        + commandLine);
    assertTrue(commandLine.contains("-XX:+DisableAttachMechanism"), where + ": " + commandLine);
    assertFalse(commandLine.contains("HeapDumpPath"), where + ": " + commandLine);
    assertFalse(commandLine.contains("+HeapDumpOnOutOfMemoryError"), where + ": "
        + commandLine);
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
  }

  @Test
  void grafanaDashboard_isValidJsonWithPanels() throws IOException {
    JsonObject dash = JsonParser.parseString(Files.readString(
        DEPLOY.resolve("grafana/coffer-dashboard.json"))).getAsJsonObject();
    assertEquals("Coffer", dash.get("title").getAsString());
    assertTrue(dash.getAsJsonArray("panels").size() >= 6);
    dash.getAsJsonArray("panels").forEach(p -> assertFalse(p.getAsJsonObject()
        .getAsJsonArray("targets").get(0).getAsJsonObject().get("expr").getAsString().isBlank()));
  }

  private static void promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail("promtool is missing: install Debian's prometheus package (.ci/run does)");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool hung");
    assertEquals(0, p.exitValue(), out);
  }
}
