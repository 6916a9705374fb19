package dev.coffer.server.metrics;

import java.util.Locale;

/** Label values made from enum constants: lower case, as Prometheus labels usually are. */
final class Labels {

  private Labels() {}

  static String word(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
