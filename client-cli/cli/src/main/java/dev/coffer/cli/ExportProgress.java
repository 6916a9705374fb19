package dev.coffer.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The progress line of a long export on stderr: {@code \rexported N events}, redrawn at most
 * every {@value #INTERVAL_MILLIS} ms by the given clock, and ended with a newline. Disabled, it
 * prints nothing at all. Security: shows counts only.
 */
final class ExportProgress {

  static final long INTERVAL_MILLIS = 100;

  private final PrintWriter err;
  private final Clock clock;
  private final boolean enabled;
  private boolean shown;
  private long lastMillis;

  ExportProgress(PrintWriter err, Clock clock, boolean enabled) {
    this.err = err;
    this.clock = clock;
    this.enabled = enabled;
  }

  /** Whether the process's stderr is a terminal (Linux: {@code /proc/self/fd/2} names a tty). */
  static boolean stderrIsTerminal(CliContext ctx) {
    if (!ctx.terminal()) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return true;
    }
  }

  void update(long written) {
    if (!enabled) {
      return;
    }
    long now = clock.millis();
    if (shown && now - lastMillis < INTERVAL_MILLIS) {
      return;
    }
    draw(written);
    lastMillis = now;
  }

  /** Draws the final count and ends the line (also before an error message). */
  void finish(long written) {
    if (!enabled) {
      return;
    }
    draw(written);
    err.print('\n');
    err.flush();
  }

  private void draw(long written) {
    err.print("\rexported " + written + (written == 1 ? " event" : " events"));
    err.flush();
    shown = true;
  }
}
