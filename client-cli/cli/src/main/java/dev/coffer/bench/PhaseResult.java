package dev.coffer.bench;

import java.util.List;

/**
 * The measured window of one phase: how long it lasted (first call started to last call
 * finished) and one row per operation, plus a {@code total} row for a mix of several.
 * Security: counts and times only.
 */
public record PhaseResult(Mix mix, long elapsedNanos, List<OpResult> rows) {

  public PhaseResult {
    rows = List.copyOf(rows);
  }

  /** Failed calls of the phase. */
  public long errorCount() {
    return rows.stream().filter(r -> mix.isSingle() || r.operation() != null)
        .mapToLong(OpResult::errorCount).sum();
  }
}
