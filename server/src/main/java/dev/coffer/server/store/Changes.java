package dev.coffer.server.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A set of puts and deletes that {@link KvStore#commit} applies atomically, in order.
 * Not thread-safe; build one per operation.
 */
public final class Changes {

  /** One change; {@code value == null} means delete. */
  public record Change(Table table, byte[] key, byte[] value) {
    public boolean isDelete() {
      return value == null;
    }
  }

  private final List<Change> changes = new ArrayList<>();

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

  /** Appends every change of {@code other}. */
  public Changes addAll(Changes other) {
    changes.addAll(other.changes);
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
