package dev.coffer.server.store;

import java.util.List;

/**
 * Rewrites what a vault written by an earlier version lacks, once per vault: it walks one
 * table in pages, lets a step stage each entry's changes, commits each page in one batch,
 * and sets a marker in {@link Table#META} last. Safe to interrupt: a step's changes must be
 * idempotent (re-running them writes the same entries), and without the marker the next
 * start walks again. Runs at start-up, before anything serves.
 */
public final class OneTimeMigration {

  /** Stages the changes one entry needs; returns whether it changed anything. */
  @FunctionalInterface
  public interface Step {
    boolean stage(KeyValue entry, Changes changes);
  }

  private static final byte[] DONE = {'1'};
  private static final int PAGE = 1000;

  private OneTimeMigration() {}

  /**
   * Runs {@code step} over every entry of {@code table} unless {@code marker} is set.
   *
   * @return the entries the step changed (0 when the vault was already migrated)
   */
  public static long runOnce(KvStore store, byte[] marker, Table table, Step step) {
    if (store.get(Table.META, marker).isPresent()) {
      return 0;
    }
    long changed = 0;
    byte[] after = null;
    while (true) {
      List<KeyValue> page = store.scan(table, new byte[0], after, PAGE);
      Changes changes = new Changes();
      for (KeyValue kv : page) {
        after = kv.key();
        if (step.stage(kv, changes)) {
          changed++;
        }
      }
      if (!changes.isEmpty()) {
        store.commit(changes);
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    store.commit(new Changes().put(Table.META, marker, DONE));
    return changed;
  }
}
