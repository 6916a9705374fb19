package dev.coffer.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand, so expiry is tested to the second; optionally one that also
 * moves a fixed step forward at every reading ({@link #ticking}), for code that measures
 * elapsed time. Thread-safe; UTC.
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final Duration tick;

  public MutableClock(Instant start) {
    this(start, Duration.ZERO);
  }

  private MutableClock(Instant start, Duration tick) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start));
    this.tick = Objects.requireNonNull(tick);
  }

  /** A clock at {@code start} that moves {@code tick} forward at every reading. */
  public static MutableClock ticking(Instant start, Duration tick) {
    return new MutableClock(start, tick);
  }

  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  public void set(Instant t) {
    now.set(t);
  }

  @Override
  public Instant instant() {
    return tick.isZero() ? now.get() : now.updateAndGet(t -> t.plus(tick));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
