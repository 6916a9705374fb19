package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@link CommandTree#along} builds one command per named level and reads exactly like the whole. */
class CommandTreeTest {

  private static final CliContext CTX =
      CliContext.builder().out(new PrintWriter(new StringWriter()))
          .err(new PrintWriter(new StringWriter())).build();

  @Test
  void everyCommandsHelp_isTheSame_whenOnlyItsPathIsBuilt() {
    CommandLine whole = CofferCli.commandLine(CTX);
    List<List<String>> paths = new ArrayList<>();
    collect(whole, new ArrayList<>(), paths);
    assertTrue(paths.size() > 60, "paths: " + paths.size());
    for (List<String> path : paths) {
      String[] args = path.toArray(String[]::new);
      CommandLine fromWhole = at(whole, path);
      CommandLine fromPath = at(CommandTree.along(args, CommandLine.defaultFactory()), path);
      // Apply the same configuration the CLI applies, then compare what a user reads.
      CommandLine configured = at(configuredAlong(args), path);
      assertEquals(fromWhole.getUsageMessage(), configured.getUsageMessage(), String.join(" ", path));
      assertEquals(fromWhole.getSubcommands().keySet(), fromPath.getSubcommands().keySet(),
          "a named command keeps all its own subcommands: " + String.join(" ", path));
    }
  }

  @Test
  void aNamedPath_buildsOneCommandPerLevel() {
    CommandLine root = CommandTree.along(new String[] {"secret", "get", "sec_x"},
        CommandLine.defaultFactory());
    assertEquals(List.of("secret"), List.copyOf(root.getSubcommands().keySet()));
    assertEquals(List.of("get"),
        List.copyOf(root.getSubcommands().get("secret").getSubcommands().keySet()));
  }

  @Test
  void aWordThatNamesNothing_getsTheWholeLevel_soSuggestionsReadTheSame() {
    CommandLine root = CommandTree.along(new String[] {"secret", "gte"},
        CommandLine.defaultFactory());
    assertEquals(9, root.getSubcommands().get("secret").getSubcommands().size());
    StringWriter wholeErr = new StringWriter();
    StringWriter pathErr = new StringWriter();
    int wholeExit = CofferCli.commandLine(ctx(wholeErr)).execute("secret", "gte");
    int pathExit = CofferCli.run(ctx(pathErr), "secret", "gte");
    assertEquals(wholeExit, pathExit);
    assertEquals(wholeErr.toString(), pathErr.toString());
    assertTrue(pathErr.toString().contains("Did you mean"), pathErr.toString());
  }

  @Test
  void helpAndCompletion_seeTheWholeTree() {
    StringWriter out = new StringWriter();
    CliContext ctx = CliContext.builder().out(new PrintWriter(out, true))
        .err(new PrintWriter(new StringWriter())).build();
    assertEquals(0, CofferCli.run(ctx, "help"));
    assertTrue(out.toString().contains("secret") && out.toString().contains("grant"), out.toString());
    StringWriter script = new StringWriter();
    CliContext ctx2 = CliContext.builder().out(new PrintWriter(script, true))
        .err(new PrintWriter(new StringWriter())).build();
    assertEquals(0, CofferCli.run(ctx2, "completion"));
    assertTrue(script.toString().contains("unquarantine"), "completion covers every command");
    assertFalse(CommandTree.along(new String[] {"help", "secret"}, CommandLine.defaultFactory())
        .getSubcommands().get("secret").getSubcommands().isEmpty());
  }

  @Test
  void everyDeclaredCommand_isACommand_withAUniqueNameInItsGroup() {
    for (Map.Entry<Class<?>, List<Class<?>>> group : CommandTree.groups().entrySet()) {
      List<String> names = new ArrayList<>();
      for (Class<?> child : group.getValue()) {
        Command command = child.getAnnotation(Command.class);
        assertTrue(command != null, child + " has no @Command");
        assertTrue(command.subcommands().length == 0,
            child + " names subcommands in its annotation: declare them in CommandTree");
        names.add(command.name());
      }
      assertEquals(names.size(), names.stream().distinct().count(), group.getKey() + ": " + names);
    }
  }

  private static CliContext ctx(StringWriter err) {
    return CliContext.builder().out(new PrintWriter(new StringWriter(), true))
        .err(new PrintWriter(err, true)).build();
  }

  private static CommandLine configuredAlong(String[] args) {
    return CofferCli.commandLineFor(CTX, args);
  }

  private static CommandLine at(CommandLine root, List<String> path) {
    CommandLine cmd = root;
    for (String name : path) {
      cmd = cmd.getSubcommands().get(name);
    }
    return cmd;
  }

  private static void collect(CommandLine cmd, List<String> path, List<List<String>> into) {
    for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      into.add(next);
      collect(sub.getValue(), next, into);
    }
  }
}
