package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * Reads the files of {@code deploy/} for their checks: YAML documents, paths into them, picocli
 * argument files, the server's real command line and {@code promtool}. Test code only; it
 * reads files and runs promtool, nothing else.
 */
final class DeployFiles {

  /** The deploy module's directory. */
  static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
      .normalize();
  /** The repository's root (for docs/). */
  static final Path REPO = DEPLOY.getParent();

  private DeployFiles() {}

  /** Parses server arguments with the server's real picocli model; fails on unknown flags. */
  static CofferServerMain parse(List<String> args) {
    CofferServerMain main = newMain();
    try {
      new CommandLine(main).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      fail("not valid coffer-server arguments: " + e.getMessage() + " in " + args);
    }
    return main;
  }

  /** Whether the server's real command line has {@code flag}. */
  static boolean serverHasFlag(String flag) {
    return new CommandLine(newMain()).getCommandSpec().findOption(flag) != null;
  }

  private static CofferServerMain newMain() {
    return new CofferServerMain(new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
  }

  static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  static String read(String fileUnderDeploy) throws IOException {
    return Files.readString(DEPLOY.resolve(fileUnderDeploy));
  }

  /** The options of a picocli argument file: one a line, blank lines and # comments skipped. */
  static List<String> argsFile(String fileUnderDeploy) throws IOException {
    return read(fileUnderDeploy).lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(String fileUnderDeploy) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(read(fileUnderDeploy))) {
      docs.add((Map<String, Object>) doc);
    }
    return docs;
  }

  /** The node at {@code path} (map keys and list indexes) below {@code node}; null if absent. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      if (current == null) {
        return null;
      }
      current = step instanceof Integer i ? ((List<Object>) current).get(i)
          : ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  /** Runs promtool; fails with its output unless it exits 0. */
  static void promtool(String... args) throws Exception {
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

  /**
   * A server command line that can leave no copy of its memory on disk: no core dump, no
   * heap dump (whatever JAVA_TOOL_OPTIONS says), no attach for jcmd/jmap.
   */
  static void assertNoDumps(String where, String commandLine) {
    assertTrue(commandLine.contains("ulimit -c 0") || where.contains("systemd"),
        where + " disables core dumps: " + commandLine);
    assertTrue(commandLine.contains("-XX:-HeapDumpOnOutOfMemoryError"), where + ": "
        + commandLine);
    assertTrue(commandLine.contains("-XX:+DisableAttachMechanism"), where + ": " + commandLine);
    assertFalse(commandLine.contains("HeapDumpPath"), where + ": " + commandLine);
    assertFalse(commandLine.contains("+HeapDumpOnOutOfMemoryError"), where + ": "
        + commandLine);
  }
}
