package dev.coffer.server.service.keys;

import java.time.Instant;

/**
 * Where the background re-wrap of data keys under the KEK's primary key stands: the
 * target key, counts so far, and when it started and finished ({@code finishTime} null
 * while running). {@code totalEstimate} is the data-key count estimated at the start.
 */
public record RewrapProgress(int targetKeyId, boolean running, long scanned, long rewrapped,
    long orphansRemoved, long unreadable, long totalEstimate, Instant startTime,
    Instant finishTime) {

  /** Scanned over the estimate, 0..1 (1 when done). */
  public double ratio() {
    if (!running) {
      return 1.0;
    }
    return totalEstimate <= 0 ? 0.0 : Math.min(1.0, (double) scanned / totalEstimate);
  }
}
