package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README and everything under docs/ hold up: every relative link resolves (a file that
 * exists, and a heading that exists for a {@code #anchor}), and every {@code coffer} command
 * shown in a code block exists in the CLI's command tree (picocli's, as the jar has it).
 */
class DocsTest {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

  static Path repository() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException("no README.md with docs/ above " + Path.of("").toAbsolutePath());
  }

  static List<Path> pages() throws IOException {
    Path root = repository();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
  static String anchor(String heading) {
    return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
        .replace(' ', '-');
  }

  static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    boolean inCode = false;
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("```")) {
        inCode = !inCode;
      }
      Matcher m = HEADING.matcher(line);
      if (!inCode && m.matches()) {
        anchors.add(anchor(m.group(1)));
      }
    }
    return anchors;
  }

  @Test
  void everyRelativeLink_resolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      String text = Files.readString(page);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http(s), mailto: not checked here (no network)
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(page.getFileName() + ": " + target + " (no such file)");
        } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(page.getFileName() + ": " + target + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void everyCofferCommandShown_existsInTheCli() throws IOException {
    CommandLine root = CofferCli.commandLine(CliContext.builder()
        .out(new PrintWriter(new StringWriter())).err(new PrintWriter(new StringWriter()))
        .env(Map.of()).build());
    List<String> unknown = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      boolean inCode = false;
      for (String line : Files.readAllLines(page)) {
        if (line.startsWith("```")) {
          inCode = !inCode;
          continue;
        }
        // "VAR=value coffer …" and "VAR=$(coffer …)" are commands too.
        String cmd = line.strip().replaceFirst("^(\\w+=\\S+\\s+)+", "")
            .replaceFirst("^\\w+=\\$\\(", "");
        if (!inCode || !cmd.startsWith("coffer ")) {
          continue;
        }
        checked++;
        String[] words = cmd.split("\\s+");
        CommandLine at = root;
        for (int i = 1; i < words.length && !at.getSubcommands().isEmpty(); i++) {
          String word = words[i];
          if (word.startsWith("-") || word.startsWith("#")) {
            break;
          }
          CommandLine next = at.getSubcommands().get(word);
          if (next == null) {
            unknown.add(page.getFileName() + ": " + cmd);
            break;
          }
          at = next;
        }
        if (at == root) {
          unknown.add(page.getFileName() + ": " + cmd + " (no subcommand)");
        }
      }
    }
    assertTrue(checked > 50, "expected the docs to show many commands, saw " + checked);
    assertEquals(List.of(), unknown);
  }
}
