package dev.coffer.server.service.kernel;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket of {@code n} per minute, refilled greedily, timed by the vault's injected
 * {@link Clock} (so tests move it, and every budget of the vault shares one notion of
 * time). Used for every failure and report budget: verify failures, authentication
 * failures, leak reports.
 *
 * <p>Security: a budget counts calls only; what it is keyed by (a peer host, a caller, a
 * client id) is the caller's choice and never a secret value.
 */
public final class PerMinuteBudget {

  private PerMinuteBudget() {}

  /**
   * A new, full bucket of {@code perMinute} tokens, refilled at that rate on {@code clock};
   * {@code tryConsume(1)} spends one.
   */
  public static Bucket of(long perMinute, Clock clock) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute)
            .refillGreedy(perMinute, Duration.ofMinutes(1)).build())
        .withCustomTimePrecision(new ClockTimeMeter(clock))
        .build();
  }

  /** Bucket4j time from the injected clock. */
  private record ClockTimeMeter(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      return clock.millis() * 1_000_000L;
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
