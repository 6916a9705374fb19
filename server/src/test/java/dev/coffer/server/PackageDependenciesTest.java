package dev.coffer.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the dependencies between the server's packages (main code only): every package is
 * listed in {@link #ALLOWED}, outside-in, with the server packages it may use; a dependency
 * outside that table, a cycle, or gRPC below the transport packages fails the build and
 * names the offending classes with file and line. docs/architecture.md shows this table (checked
 * here too); where the two disagree, this test is the authority.
 */
class PackageDependenciesTest {

  private static final String SERVER = "dev.coffer.server";
  /** How {@link #ALLOWED} names the root package {@value #SERVER} (the composition root). */
  private static final String ROOT = "(root)";

  /**
   * Outside-in: each server package (relative to {@value #SERVER}) and the server packages
   * its classes may depend on. A package may only name packages listed after it, so the
   * table is acyclic by construction ({@link #theTableIsAnOutsideInOrder}).
   */
  static final Map<String, Set<String>> ALLOWED = table(
      allow(ROOT, "auth", "api", "metrics", "service.identity", "service.operator", "service.keys",
          "service.directory", "service.sharing", "service.secrets", "service.assertions",
          "service.lifecycle", "service.kernel", "backup", "cluster", "audit", "store.records",
          "store", "crypto", "config", "domain", "logging"),
      allow("auth", "api", "service.operator", "service.directory", "domain"),
      allow("api", "service.identity", "service.operator", "service.keys", "service.directory", "service.sharing",
          "service.secrets", "service.assertions", "service.lifecycle", "service.kernel",
          "backup", "cluster", "audit", "store.records", "store", "crypto", "domain"),
      allow("metrics", "service.identity", "service.keys", "service.secrets",
          "service.assertions", "service.kernel", "cluster", "audit", "store.records", "store",
          "crypto", "domain"),
      allow("service.identity", "service.operator", "service.directory", "service.lifecycle",
          "service.kernel", "audit", "store.records", "store", "config", "domain"),
      allow("service.operator", "service.keys", "service.directory", "service.kernel",
          "backup", "cluster", "audit", "store.records", "store", "crypto", "config", "domain"),
      allow("service.keys", "service.directory", "service.kernel", "audit", "store.records",
          "store.records.pb", "store", "crypto", "domain"),
      allow("service.directory", "service.secrets", "service.lifecycle", "service.kernel",
          "audit", "store.records", "store", "crypto", "domain"),
      allow("service.sharing", "service.secrets", "service.lifecycle", "service.kernel",
          "audit", "store.records", "store", "domain"),
      allow("service.secrets", "service.lifecycle", "service.kernel", "audit",
          "store.records", "store", "crypto", "domain"),
      allow("service.assertions", "service.kernel", "audit", "store.records", "store",
          "crypto", "domain"),
      allow("service.lifecycle", "service.kernel", "store.records", "domain"),
      allow("service.kernel", "audit", "store.records", "domain"),
      allow("backup", "audit", "store.records", "store.records.pb", "store", "crypto",
          "config", "domain"),
      allow("cluster", "audit", "store.records.pb", "store", "config", "domain", "logging"),
      allow("audit", "store.records", "store.records.pb", "store", "domain"),
      allow("store.records", "store.records.pb", "store", "domain"),
      allow("store", "domain", "logging"),
      allow("crypto", "config", "domain"),
      allow("config"),
      allow("domain"),
      allow("logging"),
      allow("store.records.pb"));

  /** The packages that may know gRPC and the wire API; nothing below them does. */
  static final Set<String> TRANSPORT = Set.of(ROOT, "auth", "api", "metrics");

  private static JavaClasses server;

  @BeforeAll
  static void importServer() {
    server = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(SERVER);
  }

  @Test
  void everyDependencyIsAllowedByTheTable() {
    classes().that().resideInAPackage(SERVER + "..")
        .should(dependOnlyOnTheirAllowedPackages())
        .check(server);
  }

  @Test
  void noCycleBetweenPackages() {
    slices().assignedFrom(byPackage()).should().beFreeOfCycles().check(server);
  }

  @Test
  void nothingBelowTheTransportKnowsGrpc() {
    noClasses().that().resideInAPackage(SERVER + "..")
        .and().resideOutsideOfPackages(TRANSPORT.stream().map(p -> absolute(p))
            .toArray(String[]::new))
        .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "dev.coffer.api..")
        .check(server);
  }

  /**
   * The product word: {@code Coffer} prefixes only what a user meets at the product's edge
   * (docs/architecture.md, "One word for the core"); the core and everything describing it is
   * a {@code Vault}. A new {@code Coffer*} class fails here until the page says why it is an
   * edge.
   */
  @Test
  void coffer_namesOnlyTheProductsEdges_theCoreIsAVault() {
    Set<String> coffer = new TreeSet<>();
    for (JavaClass type : server) {
      if (type.isTopLevelClass() && type.getSimpleName().startsWith("Coffer")) {
        coffer.add(type.getSimpleName());
      }
    }
    assertEquals(Set.of("CofferException", "CofferMetrics", "CofferServer", "CofferServerMain",
        "CofferStateMachine"), coffer);
  }

  @Test
  void theTableIsAnOutsideInOrder() {
    List<String> order = new ArrayList<>(ALLOWED.keySet());
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (String to : ALLOWED.get(order.get(i))) {
        if (order.indexOf(to) <= i) {
          wrong.add(order.get(i) + " -> " + to);
        }
      }
    }
    assertEquals(List.of(), wrong, "each package may only use packages listed after it");
  }

  @Test
  void theTableNamesExactlyThePackagesThatExist() {
    Set<String> present = new TreeSet<>();
    for (JavaClass c : server) {
      if (isServer(c.getPackageName())) {
        present.add(relative(c.getPackageName()));
      }
    }
    assertEquals(new TreeSet<>(ALLOWED.keySet()), present);
    assertTrue(present.contains(ROOT) && present.contains("api"), "the import found the code");
  }

  /** docs/architecture.md shows this table, row for row; a page that drifts fails here. */
  @Test
  void theArchitecturePageShowsThisTable() throws IOException {
    Path page = Path.of("..", "docs", "architecture.md");
    Map<String, Set<String>> shown = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("## ")) {
        inTable = line.startsWith("## Allowed dependencies");
      } else if (inTable && line.startsWith("| ") && !line.startsWith("| package ")) {
        String[] cells = line.split("\\|");
        Set<String> to = cells[2].isBlank() || cells[2].contains("nothing") ? Set.of()
            : Set.of(cells[2].trim().split(",\\s*"));
        for (String from : cells[1].trim().split(",\\s*")) {
          shown.put(from, to);
        }
      }
    }
    assertEquals(rows(ALLOWED), rows(shown),
        page.toAbsolutePath().normalize() + " differs from ALLOWED");
  }

  /** One sorted line per package, so a difference reads as the rows that differ. */
  private static String rows(Map<String, Set<String>> table) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(table).forEach((from, to) ->
        text.append(from).append(" -> ").append(new TreeSet<>(to)).append('\n'));
    return text.toString();
  }

  private static ArchCondition<JavaClass> dependOnlyOnTheirAllowedPackages() {
    return new ArchCondition<>("depend only on the server packages that PackageDependenciesTest"
        + ".ALLOWED lists for their own package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = relative(origin.getPackageName());
        Set<String> allowed = ALLOWED.get(from);
        if (allowed == null) {
          events.add(SimpleConditionEvent.violated(origin, "package " + origin.getPackageName()
              + " of " + origin.getName() + " is not in the table: give it its place"));
          return;
        }
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          String pkg = d.getTargetClass().getBaseComponentType().getPackageName();
          if (!isServer(pkg)) {
            continue;
          }
          String to = relative(pkg);
          if (!to.equals(from) && !allowed.contains(to)) {
            events.add(SimpleConditionEvent.violated(d,
                from + " may not depend on " + to + ": " + d.getDescription()));
          }
        }
      }
    };
  }

  private static SliceAssignment byPackage() {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String pkg = javaClass.getPackageName();
        return isServer(pkg) ? SliceIdentifier.of(relative(pkg)) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "server packages";
      }
    };
  }

  private static boolean isServer(String pkg) {
    return pkg.equals(SERVER) || pkg.startsWith(SERVER + ".");
  }

  private static String relative(String pkg) {
    return pkg.equals(SERVER) ? ROOT : pkg.substring(SERVER.length() + 1);
  }

  private static String absolute(String relative) {
    return relative.equals(ROOT) ? SERVER : SERVER + "." + relative;
  }

  private static Map.Entry<String, Set<String>> allow(String from, String... to) {
    return Map.entry(from, Set.of(to));
  }

  @SafeVarargs
  private static Map<String, Set<String>> table(Map.Entry<String, Set<String>>... rows) {
    Map<String, Set<String>> table = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> row : rows) {
      if (table.put(row.getKey(), row.getValue()) != null) {
        throw new IllegalArgumentException("listed twice: " + row.getKey());
      }
    }
    return table;
  }
}
