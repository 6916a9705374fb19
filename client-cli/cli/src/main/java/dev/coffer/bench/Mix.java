package dev.coffer.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one phase of a run issues: operations with relative weights, e.g. {@code
 * reveal=90,create=10} (each call is reveal with probability 90/100). A single operation is a
 * mix of one. Immutable. Security: names and numbers only.
 *
 * @param entries at least one, each operation at most once, in the order given
 */
public record Mix(List<Entry> entries) {

  /** Largest weight of one entry. */
  public static final int MAX_WEIGHT = 1_000_000;

  /** One operation and its weight (1 to {@link #MAX_WEIGHT}). */
  public record Entry(Operation operation, int weight) {}

  public Mix {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a mix needs at least one operation");
    }
  }

  /** A mix of {@code op} alone. */
  public static Mix of(Operation op) {
    return new Mix(List.of(new Entry(op, 1)));
  }

  /**
   * Parses {@code OP=WEIGHT[,OP=WEIGHT...]}; operations in any case, weights whole numbers.
   *
   * @throws IllegalArgumentException saying which part is wrong and what is accepted
   */
  public static Mix parse(String text) {
    String spec = text == null ? "" : text.strip();
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("empty: give OP=WEIGHT pairs, e.g. reveal=90,create=10");
    }
    List<Entry> entries = new ArrayList<>();
    Set<Operation> seen = EnumSet.noneOf(Operation.class);
    for (String part : spec.split(",", -1)) {
      Entry entry = entry(part.strip());
      if (!seen.add(entry.operation())) {
        throw new IllegalArgumentException(entry.operation().cliName()
            + " appears twice: give each operation once");
      }
      entries.add(entry);
    }
    return new Mix(entries);
  }

  private static Entry entry(String part) {
    int eq = part.indexOf('=');
    if (part.isEmpty() || eq < 0) {
      throw new IllegalArgumentException("'" + part + "' is not OP=WEIGHT (e.g. reveal=90),"
          + " with OP one of " + Operation.names());
    }
    Operation op = Operation.parse(part.substring(0, eq));
    String weight = part.substring(eq + 1).strip();
    int w;
    try {
      w = Integer.parseInt(weight);
    } catch (NumberFormatException e) {
      w = 0;
    }
    if (w < 1 || w > MAX_WEIGHT || !weight.matches("\\d+")) {
      throw new IllegalArgumentException("the weight of " + op.cliName() + " ('" + weight
          + "') must be a whole number from 1 to " + MAX_WEIGHT);
    }
    return new Entry(op, w);
  }

  /** The sum of the weights. */
  public int totalWeight() {
    return entries.stream().mapToInt(Entry::weight).sum();
  }

  /** The operation for a uniform draw in {@code [0, totalWeight())}. */
  public Operation pick(int draw) {
    int left = draw;
    for (Entry e : entries) {
      left -= e.weight();
      if (left < 0) {
        return e.operation();
      }
    }
    throw new IllegalArgumentException("draw " + draw + " is not below " + totalWeight());
  }

  /** The operations, in the order given. */
  public List<Operation> operations() {
    return entries.stream().map(Entry::operation).toList();
  }

  public boolean isSingle() {
    return entries.size() == 1;
  }

  /** {@code verify} for a single operation, else {@code reveal=90,create=10}. */
  public String label() {
    if (isSingle()) {
      return entries.get(0).operation().cliName();
    }
    return entries.stream().map(e -> e.operation().cliName() + "=" + e.weight())
        .collect(Collectors.joining(","));
  }
}
