package dev.coffer.server;

/**
 * Turns off the buffer-leak sampling of grpc-java's shaded Netty unless it was set with
 * {@code -D}. Netty records a stack trace for one buffer in 128 to report leaks: about 5 %
 * of the server's CPU under load and 6 % of {@code coffer bench}'s (profiled). Both the
 * server's and the CLI's {@code main} call {@link #offUnlessSet} first, before anything
 * loads Netty's leak detector.
 */
public final class NettyLeakSampling {

  /** The system property of the shaded Netty's leak detector level. */
  public static final String PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  private NettyLeakSampling() {}

  /** Sets {@link #PROPERTY} to {@code disabled} unless it already has a value. */
  public static void offUnlessSet() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "disabled");
    }
  }
}
