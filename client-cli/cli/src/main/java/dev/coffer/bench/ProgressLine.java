package dev.coffer.bench;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Where a run talks to the person running it, on stderr: notes (always, one line each) and a
 * progress line that is redrawn in place ({@code \r}) at most every {@value #INTERVAL_MILLIS}
 * ms, only when stderr is a terminal. Thread-safe. Security: callers pass counts, names and
 * times only, never a value or token.
 */
public final class ProgressLine {

  static final long INTERVAL_MILLIS = 250;

  private final PrintWriter err;
  private final boolean enabled;
  private final LongSupplier millis;
  private long lastDrawn = Long.MIN_VALUE;
  private int width;

  /** @param enabled whether stderr is a terminal (progress lines are drawn) */
  public ProgressLine(PrintWriter err, boolean enabled) {
    this(err, enabled, System::currentTimeMillis);
  }

  ProgressLine(PrintWriter err, boolean enabled, LongSupplier millis) {
    this.err = err;
    this.enabled = enabled;
    this.millis = millis;
  }

  /** Prints {@code line} on its own line (after clearing a progress line). */
  public synchronized void note(String line) {
    clear();
    err.println(line);
    err.flush();
  }

  /** Redraws the progress line, unless drawn less than an interval ago or disabled. */
  public synchronized void progress(String line) {
    if (!enabled) {
      return;
    }
    long now = millis.getAsLong();
    if (lastDrawn != Long.MIN_VALUE && now - lastDrawn < INTERVAL_MILLIS) {
      return;
    }
    lastDrawn = now;
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    width = line.length();
    err.flush();
  }

  /** Removes the progress line, if one is shown. */
  public synchronized void clear() {
    if (width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
    lastDrawn = Long.MIN_VALUE;
  }
}
