package dev.coffer.server;

import static dev.coffer.server.DeployFiles.DEPLOY;
import static dev.coffer.server.DeployFiles.argsFile;
import static dev.coffer.server.DeployFiles.assertNoDumps;
import static dev.coffer.server.DeployFiles.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coffer.server.ClusterContract.NodeArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The systemd example of a three-host cluster ({@code deploy/systemd/cluster/}: a drop-in for
 * the single-node unit, the shared cluster args file, one environment file per host) gives
 * each host a real server command line, as systemd expands it: the unit's own JVM options and
 * args file, a distinct node id whose address is its entry in the one peer list, and
 * {@code --cluster-init} on exactly one host.
 */
class ClusterSystemdTest {

  private static final String DIR = "systemd/cluster/";
  private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern SPLIT_WORD = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
  /** Where the files are installed on a host, and where they are in this repository. */
  private static final Map<String, String> INSTALLED = Map.of(
      "/etc/coffer/coffer-server.args", "config/coffer-server.args",
      "/etc/coffer/coffer-cluster.args", DIR + "coffer-cluster.args");

  private static List<String> serviceSection(String unitFile) throws IOException {
    List<String> lines = read(unitFile).lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertEquals("[Service]", lines.get(0), unitFile);
    return lines.subList(1, lines.size());
  }

  private static String execStartOfBaseUnit() throws IOException {
    return read("systemd/coffer.service").lines().filter(l -> l.startsWith("ExecStart="))
        .findFirst().orElseThrow();
  }

  /** An EnvironmentFile: KEY=VALUE lines, comments and blank lines skipped. */
  private static Map<String, String> environmentFile(String file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    read(file).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .forEach(l -> {
          int eq = l.indexOf('=');
          assertTrue(eq > 0, file + ": " + l);
          assertFalse(l.contains("\"") || l.contains("'"), "no quoting needed: " + l);
          env.put(l.substring(0, eq), l.substring(eq + 1));
        });
    return env;
  }

  /**
   * The command line systemd runs: "$VAR" as a word of its own splits into zero or more words,
   * "${VAR}" is replaced in place; then picocli's @files are expanded from this repository.
   */
  private static List<String> expand(String execStart, Map<String, String> env)
      throws IOException {
    List<String> argv = new ArrayList<>();
    for (String word : execStart.substring("ExecStart=".length()).split(" ")) {
      Matcher whole = SPLIT_WORD.matcher(word);
      if (whole.matches()) {
        argv.addAll(List.of(defined(env, whole.group(1)).split("\\s+")).stream()
            .filter(w -> !w.isEmpty()).toList());
        continue;
      }
      Matcher m = BRACED.matcher(word);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(defined(env, m.group(1))));
      }
      m.appendTail(out);
      assertFalse(out.toString().contains("$"), "an unexpanded variable: " + word);
      argv.add(out.toString());
    }
    List<String> expanded = new ArrayList<>();
    for (String arg : argv) {
      if (arg.startsWith("@")) {
        String file = INSTALLED.get(arg.substring(1));
        if (file == null) {
          fail("an args file this example does not ship: " + arg);
        }
        expanded.addAll(argsFile(file));
      } else {
        expanded.add(arg);
      }
    }
    return expanded;
  }

  private static String defined(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null) {
      fail("$" + name + " is not set by the host's EnvironmentFile: " + env.keySet());
    }
    return value;
  }

  @Test
  void eachHost_runsTheUnitsCommandLine_plusItsOwnClusterFlags() throws IOException {
    List<String> service = serviceSection(DIR + "coffer.service.d/cluster.conf");
    assertTrue(service.contains("EnvironmentFile=/etc/coffer/cluster.env"), service.toString());
    List<String> execStarts = service.stream().filter(l -> l.startsWith("ExecStart=")).toList();
    assertEquals(2, execStarts.size(), "ExecStart= resets the unit's, then one: " + execStarts);
    assertEquals("ExecStart=", execStarts.get(0));
    String execStart = execStarts.get(1);
    assertTrue(execStart.startsWith(execStartOfBaseUnit() + " "),
        "the unit's own JVM options (no dumps) and args file, then the cluster's: " + execStart);
    assertNoDumps("the systemd cluster drop-in's ExecStart", execStart);

    List<String> envFiles;
    try (Stream<Path> files = Files.list(DEPLOY.resolve(DIR))) {
      envFiles = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".env"))
          .sorted().toList();
    }
    assertEquals(List.of("coffer-1.env", "coffer-2.env", "coffer-3.env"), envFiles);
    Set<String> ids = new HashSet<>();
    Set<Object> peerLists = new HashSet<>();
    int initialising = 0;
    for (String envFile : envFiles) {
      List<String> argv = expand(execStart, environmentFile(DIR + envFile));
      int jar = argv.indexOf("-jar");
      assertEquals("/opt/coffer/coffer-server.jar", argv.get(jar + 1));
      NodeArgs node = ClusterContract.parseNode(argv.subList(jar + 2, argv.size()));
      assertEquals(envFile.replace(".env", ""), node.cluster().nodeId(), envFile);
      assertTrue(ids.add(node.cluster().nodeId()));
      peerLists.add(node.cluster().peers());
      initialising += node.cluster().init() ? 1 : 0;
      assertFalse(node.server().dev, "never --dev: it would allow a plaintext Raft port");
      assertEquals(Path.of("/var/lib/coffer"), node.server().dataDir, "the StateDirectory");
      for (String file : List.of(node.cluster().tlsCert(), node.cluster().tlsKey(),
          node.cluster().tlsCa())) {
        assertTrue(file.startsWith("/etc/coffer/raft-tls/"),
            "Raft mTLS files under the unit's ReadOnlyPaths=/etc/coffer: " + file);
      }
      assertTrue(node.cluster().clusterDir() == null
          || node.cluster().clusterDir().startsWith("/var/lib/coffer/"),
          "the Raft log stays in the private StateDirectory");
    }
    assertEquals(1, peerLists.size(), "one peer list on every host: " + peerLists);
    assertEquals(ids, ((Map<?, ?>) peerLists.iterator().next()).keySet(),
        "the peer list is exactly the three hosts");
    assertEquals(1, initialising, "exactly one host starts with --cluster-init");
  }
}
