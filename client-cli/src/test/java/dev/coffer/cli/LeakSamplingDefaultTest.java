package dev.coffer.cli;

import static dev.coffer.cli.CofferCli.LEAK_DETECTION_PROPERTY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The CLI (and so {@code coffer bench}) runs without Netty's leak sampling unless -D asks. */
class LeakSamplingDefaultTest {

  @Test
  void offByDefault_andAnExplicitLevelIsKept() {
    String before = System.getProperty(LEAK_DETECTION_PROPERTY);
    try {
      System.clearProperty(LEAK_DETECTION_PROPERTY);
      CofferCli.disableLeakSamplingUnlessSet();
      assertEquals("disabled", System.getProperty(LEAK_DETECTION_PROPERTY));

      System.setProperty(LEAK_DETECTION_PROPERTY, "paranoid");
      CofferCli.disableLeakSamplingUnlessSet();
      assertEquals("paranoid", System.getProperty(LEAK_DETECTION_PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(LEAK_DETECTION_PROPERTY);
      } else {
        System.setProperty(LEAK_DETECTION_PROPERTY, before);
      }
    }
  }
}
