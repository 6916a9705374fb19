package dev.coffer.cli;

/**
 * Turns off the buffer-leak sampling of grpc-java's shaded Netty in the CLI process unless it was
 * set with {@code -D}: Netty records a stack trace for one buffer in 128, about 6 % of
 * {@code coffer bench}'s CPU (profiled). {@link CofferCli#main} calls {@link #offUnlessSet} first,
 * before anything loads Netty's leak detector. The CLI's own copy of the server's switch, so the
 * CLI does not depend on the server (issue 16); deliberately not in {@code coffer-client}, whose
 * users' process-wide settings are theirs to choose.
 */
final class NettyLeakSampling {

  /** The system property of the shaded Netty's leak detector level. */
  static final String PROPERTY = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  private NettyLeakSampling() {}

  /** Sets {@link #PROPERTY} to {@code disabled} unless it already has a value. */
  static void offUnlessSet() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "disabled");
    }
  }
}
