package dev.coffer.server;

import static dev.coffer.server.DeployFiles.DEPLOY;
import static dev.coffer.server.DeployFiles.assertNoDumps;
import static dev.coffer.server.DeployFiles.at;
import static dev.coffer.server.DeployFiles.port;
import static dev.coffer.server.DeployFiles.yamlDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coffer.server.ClusterContract.Address;
import dev.coffer.server.ClusterContract.NodeArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three-node cluster in {@code deploy/kubernetes/cluster/} starts what it says: each pod's
 * command line, as Kubernetes expands it and the container's shell runs it, is a real server
 * command line whose node id, Raft address and peers name the pods through the headless
 * Service; only ordinal 0 initialises; the Raft port is declared, served by the headless
 * Service and open only between the pods; pods spread over hosts and at most one is disrupted.
 */
class ClusterKubernetesTest {

  private static final String DIR = "kubernetes/cluster/";
  private static final String NAMESPACE = "vault-ns";
  private static final int GRPC_PORT = 7443;
  private static final int METRICS_PORT = 9464;
  private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  @TempDir Path fakeJavaDir;

  private static Map<String, Object> only(String file, String kind) throws IOException {
    List<Map<String, Object>> docs = yamlDocuments(DIR + file);
    assertEquals(1, docs.size(), file);
    assertEquals(kind, docs.get(0).get("kind"), file);
    return docs.get(0);
  }

  private static Map<String, Object> statefulSet() throws IOException {
    return only("statefulset.yaml", "StatefulSet");
  }

  private static Map<String, Object> container(Map<String, Object> sts) {
    return at(sts, "spec", "template", "spec", "containers", 0);
  }

  private static Map<String, Object> podLabels(Map<String, Object> sts) {
    return at(sts, "spec", "template", "metadata", "labels");
  }

  private static int containerPort(Map<String, Object> container, String name) {
    List<Map<String, Object>> ports = at(container, "ports");
    return ports.stream().filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + name + ": " + ports));
  }

  /** The container's args as Kubernetes expands $(VAR) for pod {@code podName}. */
  private static List<String> expandedArgs(Map<String, Object> container, String podName) {
    Map<String, String> env = new HashMap<>();
    List<Map<String, Object>> declared = at(container, "env");
    for (Map<String, Object> var : declared) {
      String field = at(var, "valueFrom", "fieldRef", "fieldPath");
      String value = switch (String.valueOf(field)) {
        case "metadata.name" -> podName;
        case "metadata.namespace" -> NAMESPACE;
        default -> (String) var.get("value");
      };
      env.put((String) var.get("name"), value);
    }
    List<String> args = at(container, "args");
    List<String> expanded = new ArrayList<>();
    for (String arg : args) {
      Matcher m = VAR_REF.matcher(arg);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        if (value == null) {
          fail("$(" + m.group(1) + ") is no env var of the container: " + arg);
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      expanded.add(out.toString());
    }
    return expanded;
  }

  /**
   * Runs the container's command (its shell) as pod {@code podName} with a stand-in
   * {@code java} that prints its arguments; returns the arguments after {@code -jar JAR}.
   */
  private List<String> serverArgsAsStarted(Map<String, Object> container, String podName)
      throws Exception {
    Path java = fakeJavaDir.resolve("java");
    if (!Files.exists(java)) {
      Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }
    List<String> command = new ArrayList<>(at(container, "command"));
    command.addAll(expandedArgs(container, podName));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", fakeJavaDir + ":/usr/bin:/bin");
    pb.environment().put("HOSTNAME", podName);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the container's shell hung");
    assertEquals(0, p.exitValue(), out);
    List<String> argv = out.lines().toList();
    int jar = argv.indexOf("-jar");
    assertTrue(jar >= 0, "java -jar: " + argv);
    assertEquals("/opt/coffer/coffer-server.jar", argv.get(jar + 1));
    return argv.subList(jar + 2, argv.size());
  }

  @Test
  void eachPod_startsAsAVoterNamingAllThreeThroughTheHeadlessService() throws Exception {
    Map<String, Object> sts = statefulSet();
    Map<String, Object> container = container(sts);
    Map<String, Object> peersService = only("peers-service.yaml", "Service");
    String peersName = at(peersService, "metadata", "name");
    assertEquals(peersName, at(sts, "spec", "serviceName"), "peer DNS comes from serviceName");
    int replicas = at(sts, "spec", "replicas");
    assertEquals(3, replicas);
    String name = at(sts, "metadata", "name");
    int raftPort = containerPort(container, "raft");
    assertEquals(raftPort, (int) at(peersService, "spec", "ports", 0, "port"));
    assertEquals("raft", at(peersService, "spec", "ports", 0, "targetPort"));
    Map<String, Address> expectedPeers = new LinkedHashMap<>();
    for (int i = 0; i < replicas; i++) {
      expectedPeers.put(name + "-" + i, new Address(name + "-" + i + "." + peersName + "."
          + NAMESPACE + ".svc.cluster.local", raftPort));
    }
    for (int i = 0; i < replicas; i++) {
      String pod = name + "-" + i;
      NodeArgs node = ClusterContract.parseNode(serverArgsAsStarted(container, pod));
      assertEquals(pod, node.cluster().nodeId());
      assertEquals(expectedPeers.get(pod), node.cluster().address());
      assertEquals(expectedPeers, node.cluster().peers());
      assertEquals(i == 0, node.cluster().init(), pod + ": --cluster-init on ordinal 0 only");
      assertEquals("/etc/coffer/raft-tls/tls.crt", node.cluster().tlsCert());
      assertEquals("/etc/coffer/raft-tls/tls.key", node.cluster().tlsKey());
      assertEquals("/etc/coffer/raft-tls/ca.crt", node.cluster().tlsCa());
      assertNull(node.cluster().clusterDir(),
          "the Raft log stays in the private data dir (DATA_DIR/raft)");
      CofferServerMain server = node.server();
      assertFalse(server.dev, "never --dev in a deployment: it would allow plaintext Raft");
      assertEquals(GRPC_PORT, port(server.listen));
      assertEquals(METRICS_PORT, port(server.metricsListen));
      assertTrue(server.tlsCert != null && server.tlsKey != null);
      assertEquals("file:///etc/coffer/root-key/root-key.json", server.rootKey);
      assertTrue(server.dataDir.startsWith("/var/lib/coffer/")
          && server.dataDir.getNameCount() > 3, "a 0700 subdirectory of the volume");
    }
    assertEquals(GRPC_PORT, containerPort(container, "grpc"));
    assertEquals(METRICS_PORT, containerPort(container, "metrics"));
    assertEquals(String.valueOf(METRICS_PORT), at(sts, "spec", "template", "metadata",
        "annotations", "prometheus.io/port"));
    assertTrue((Boolean) at(peersService, "spec", "publishNotReadyAddresses"),
        "peers find each other before any is Ready");
    assertEquals("None", at(peersService, "spec", "clusterIP"));
    assertEquals(1, ((List<?>) at(peersService, "spec", "ports")).size(),
        "the Raft port alone: the ServiceMonitor also selects this Service by its labels, and "
            + "a metrics port here would scrape every pod twice");
    assertSelects(at(peersService, "spec", "selector"), podLabels(sts));
    assertEquals("Parallel", at(sts, "spec", "podManagementPolicy"),
        "OrderedReady would wait for coffer-0 to be Ready, which needs a majority started");
  }

  @Test
  void onlyOrdinalZero_initialisesTheCluster_whateverTheOrdinalsDigits() throws Exception {
    Map<String, Object> container = container(statefulSet());
    for (String pod : List.of("coffer-0", "coffer-1", "coffer-2", "coffer-10", "coffer-20")) {
      List<String> args = serverArgsAsStarted(container, pod);
      assertEquals(pod.equals("coffer-0") ? 1 : 0,
          args.stream().filter("--cluster-init"::equals).count(), pod + ": " + args);
    }
    List<String> command = at(container, "command");
    assertNoDumps("the cluster StatefulSet's command", String.join(" ", command));
  }

  @Test
  void podsSpreadOverHosts_andADisruptionTakesAtMostOne() throws IOException {
    Map<String, Object> sts = statefulSet();
    Map<String, Object> antiAffinity = at(sts, "spec", "template", "spec", "affinity",
        "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution", 0);
    assertEquals("kubernetes.io/hostname", antiAffinity.get("topologyKey"));
    assertSelects(at(antiAffinity, "labelSelector", "matchLabels"), podLabels(sts));
    Map<String, Object> pdb = only("poddisruptionbudget.yaml", "PodDisruptionBudget");
    assertEquals(1, (int) at(pdb, "spec", "maxUnavailable"));
    assertNull(at(pdb, "spec", "minAvailable"));
    assertSelects(at(pdb, "spec", "selector", "matchLabels"), podLabels(sts));
    assertSelects(at(sts, "spec", "selector", "matchLabels"), podLabels(sts));
  }

  private static void assertSelects(Map<String, Object> selector, Map<String, Object> labels) {
    assertTrue(selector != null && !selector.isEmpty(), "a selector");
    selector.forEach((k, v) -> assertEquals(v, labels.get(k), "selects the pods by " + k));
  }

  @Test
  void raftPort_isOpenOnlyBetweenThePods_andTheApiToClients() throws IOException {
    Map<String, Object> sts = statefulSet();
    int raftPort = containerPort(container(sts), "raft");
    Map<String, Object> policy = only("networkpolicy.yaml", "NetworkPolicy");
    assertSelects(at(policy, "spec", "podSelector", "matchLabels"), podLabels(sts));
    assertEquals(List.of("Ingress"), at(policy, "spec", "policyTypes"));
    List<Map<String, Object>> rules = at(policy, "spec", "ingress");
    int raftRules = 0;
    for (Map<String, Object> rule : rules) {
      List<Map<String, Object>> ports = at(rule, "ports");
      assertTrue(ports != null && !ports.isEmpty(), "every rule names its ports: " + rule);
      if (ports.stream().noneMatch(p -> Integer.valueOf(raftPort).equals(p.get("port")))) {
        continue;
      }
      raftRules++;
      assertEquals(1, ports.size(), "the Raft rule opens the Raft port alone: " + rule);
      List<Map<String, Object>> from = at(rule, "from");
      assertEquals(1, from.size(), "only the pods: " + rule);
      assertEquals(List.of("podSelector"), List.copyOf(from.get(0).keySet()),
          "the pods of this namespace, no namespaceSelector or ipBlock: " + rule);
      assertSelects(at(from.get(0), "podSelector", "matchLabels"), podLabels(sts));
    }
    assertEquals(1, raftRules);
    assertEquals(GRPC_PORT, (int) at(rules, 0, "ports", 0, "port"));
    assertEquals(Map.of("coffer.dev/client", "true"),
        at(rules, 0, "from", 0, "podSelector", "matchLabels"));
    assertEquals(METRICS_PORT, (int) at(rules, 1, "ports", 0, "port"));
    Map<String, Object> service = only("service.yaml", "Service");
    List<Map<String, Object>> ports = at(service, "spec", "ports");
    assertEquals(List.of(GRPC_PORT, METRICS_PORT), ports.stream().map(p -> p.get("port"))
        .toList(), "the client Service serves the API (and metrics), never Raft");
    assertSelects(at(service, "spec", "selector"), podLabels(sts));
  }

  @Test
  void readinessFollowsHealth_livenessOnlyTheProcess() throws IOException {
    Map<String, Object> container = container(statefulSet());
    assertEquals(GRPC_PORT, (int) at(container, "readinessProbe", "grpc", "port"),
        "Ready = SERVING on the gRPC health service");
    assertNull(at(container, "readinessProbe", "grpc", "service"), "service \"\"");
    assertEquals(GRPC_PORT, (int) at(container, "livenessProbe", "tcpSocket", "port"));
    assertNull(at(container, "livenessProbe", "grpc"),
        "NOT_SERVING (no quorum, catching up) must not restart the pod");
  }

  @Test
  void keyMaterial_comesFromSecrets_mountedReadOnlyAndOwnerOnly() throws IOException {
    Map<String, Object> sts = statefulSet();
    List<Map<String, Object>> volumes = at(sts, "spec", "template", "spec", "volumes");
    List<Map<String, Object>> mounts = at(container(sts), "volumeMounts");
    Map<String, String> secretMounts = Map.of("coffer-tls", "/etc/coffer/tls",
        "coffer-raft-tls", "/etc/coffer/raft-tls", "coffer-root-key", "/etc/coffer/root-key");
    secretMounts.forEach((secret, path) -> {
      Map<String, Object> volume = volumes.stream()
          .filter(v -> secret.equals(at(v, "secret", "secretName"))).findFirst()
          .orElseThrow(() -> new AssertionError("no volume of Secret " + secret));
      assertEquals(0400, (int) at(volume, "secret", "defaultMode"), secret);
      Map<String, Object> mount = mounts.stream()
          .filter(m -> volume.get("name").equals(m.get("name"))).findFirst().orElseThrow();
      assertEquals(path, mount.get("mountPath"));
      assertEquals(Boolean.TRUE, mount.get("readOnly"), secret + " is mounted read-only");
    });
    assertEquals(Boolean.TRUE, at(sts, "spec", "template", "spec", "securityContext",
        "runAsNonRoot"));
    assertEquals("OnRootMismatch", at(sts, "spec", "template", "spec", "securityContext",
        "fsGroupChangePolicy"));
    assertEquals("cluster-data", at(sts, "spec", "volumeClaimTemplates", 0, "metadata", "name"),
        "never the single-node vault's data-coffer-0 volume");
  }

  @Test
  void kustomization_listsEveryManifestOfTheDirectory() throws IOException {
    Map<String, Object> kustomization = only("kustomization.yaml", "Kustomization");
    List<String> listed = at(kustomization, "resources");
    try (Stream<Path> files = Files.list(DEPLOY.resolve(DIR))) {
      assertEquals(files.map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).sorted()
          .toList(), listed.stream().sorted().toList());
    }
  }
}
