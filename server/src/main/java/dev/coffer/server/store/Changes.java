package dev.coffer.server.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A set of puts and deletes that {@link KvStore#commit} applies atomically, in order,
 * optionally guarded by expectations: the current value each named key must hold (or its
 * absence) for the changes to apply at all. {@link KvStore#commit} itself ignores
 * expectations; the single serialised writer ({@link dev.coffer.server.audit.ChainedAuditLog})
 * checks them atomically with the write, so background jobs (KEK re-wrap) never overwrite
 * a concurrent change such as a deletion. Not thread-safe; build one per operation.
 */
public final class Changes {

  /** One change; {@code value == null} means delete. */
  public record Change(Table table, byte[] key, byte[] value) {
    public boolean isDelete() {
      return value == null;
    }
  }

  /** A guard: {@code table[key]} must equal {@code value}; {@code value == null}: absent. */
  public record Expectation(Table table, byte[] key, byte[] value) {}

  private final List<Change> changes = new ArrayList<>();
  private final List<Expectation> expectations = new ArrayList<>();

  /**
   * Applies the changes only if {@code table[key]} still holds {@code current} (null: no
   * entry). Values compare byte for byte.
   */
  public Changes expect(Table table, byte[] key, byte[] current) {
    expectations.add(new Expectation(table, key, current));
    return this;
  }

  public List<Expectation> expectations() {
    return Collections.unmodifiableList(expectations);
  }

  public boolean hasExpectations() {
    return !expectations.isEmpty();
  }

  public Changes put(Table table, byte[] key, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("null value; use delete");
    }
    changes.add(new Change(table, key, value));
    return this;
  }

  public Changes delete(Table table, byte[] key) {
    changes.add(new Change(table, key, null));
    return this;
  }

  /** Appends every change and expectation of {@code other}. */
  public Changes addAll(Changes other) {
    changes.addAll(other.changes);
    expectations.addAll(other.expectations);
    return this;
  }

  public List<Change> list() {
    return Collections.unmodifiableList(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public int size() {
    return changes.size();
  }
}
