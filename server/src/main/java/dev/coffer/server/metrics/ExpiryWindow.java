package dev.coffer.server.metrics;

import java.time.Duration;

/**
 * The look-ahead windows of {@code coffer_secrets_expiring}: a secret counts in a window
 * when it is active and its expiration lies in {@code (now, now + length]}. Windows are
 * cumulative (the 30-day figure includes the 7-day one).
 */
public enum ExpiryWindow {
  ONE_DAY("1d", Duration.ofDays(1)),
  SEVEN_DAYS("7d", Duration.ofDays(7)),
  THIRTY_DAYS("30d", Duration.ofDays(30));

  private final String label;
  private final Duration length;

  ExpiryWindow(String label, Duration length) {
    this.label = label;
    this.length = length;
  }

  /** The value of the {@code within} label. */
  public String label() {
    return label;
  }

  public Duration length() {
    return length;
  }
}
