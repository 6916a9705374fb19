package dev.coffer.cli;

import java.util.Map;

/**
 * The CLI process's settings of grpc-java's shaded Netty, each applied unless set with {@code -D}.
 * {@link CofferCli#main} calls {@link #applyUnlessSet} first, before anything loads Netty.
 *
 * <ul>
 *   <li>Buffer-leak sampling off: Netty records a stack trace for one buffer in 128, about 6 % of
 *       {@code coffer bench}'s CPU (profiled). The server has its own such switch; the CLI keeps
 *       a copy so that it does not depend on the server (issue 16).
 *   <li>Netty's flight-recorder events off: registering them loads and initialises the JDK's
 *       flight recorder, about 40 ms of each one-shot call (measured), for events nobody records.
 * </ul>
 *
 * <p>Deliberately not in {@code coffer-client}: a library's users choose their own process-wide
 * settings.
 */
final class NettyDefaults {

  /** The system property of the shaded Netty's leak detector level. */
  static final String LEAK_DETECTION = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  /** The system property that turns the shaded Netty's flight-recorder events on or off. */
  static final String JFR_EVENTS = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private static final Map<String, String> DEFAULTS =
      Map.of(LEAK_DETECTION, "disabled", JFR_EVENTS, "false");

  private NettyDefaults() {}

  /** Sets each property to its default unless it already has a value. */
  static void applyUnlessSet() {
    DEFAULTS.forEach(
        (property, value) -> {
          if (System.getProperty(property) == null) {
            System.setProperty(property, value);
          }
        });
  }
}
