package dev.coffer.cli;

import dev.coffer.api.v1.LifecycleEvent;

/**
 * The text line of one lifecycle event: when, what, which resource, and the detail that matters
 * for that kind of event. Security: events hold names, states and times only.
 */
final class LifecycleViews {

  private LifecycleViews() {}

  /**
   * For example {@code 2026-12-03T10:00:00Z  EXPIRY_WARNING  secrets/sec_1  expires
   * 2027-01-02T10:00:00Z (30d)}, {@code ...  EXPIRED  grants/grt_1  at ...} or {@code ...  ROTATED
   * secrets/sec_1  successor secrets/sec_2, valid until ...}.
   */
  static String line(LifecycleEvent e) {
    String what;
    String detail;
    switch (e.getType()) {
      case LIFECYCLE_EXPIRY_WARNING -> {
        what = "EXPIRY_WARNING";
        detail =
            "expires "
                + Printer.time(e.getExpireTime())
                + " ("
                + Printer.duration(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(e.getLeadTimeSeconds())
                        .build())
                + ")";
      }
      case LIFECYCLE_EXPIRED -> {
        what = "EXPIRED";
        detail = "at " + Printer.time(e.getExpireTime());
      }
      case LIFECYCLE_STATE_CHANGED -> {
        what = e.getState();
        detail =
            e.getSuccessor().isEmpty()
                ? ""
                : "successor " + e.getSuccessor() + validUntil(e);
      }
      default -> {
        what = e.getType().name();
        detail = e.getState();
      }
    }
    String line = Printer.time(e.getTime()) + "  " + what + "  " + e.getResource();
    return detail.isEmpty() ? line : line + "  " + detail;
  }

  private static String validUntil(LifecycleEvent e) {
    return e.hasExpireTime() ? ", old one valid until " + Printer.time(e.getExpireTime()) : "";
  }
}
