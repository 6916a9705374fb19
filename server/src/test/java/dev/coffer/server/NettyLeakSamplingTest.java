package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server turns Netty's leak sampling off, but never over an operator's -D. */
class NettyLeakSamplingTest {

  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(CofferServerMain.LEAK_DETECTION_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(CofferServerMain.LEAK_DETECTION_PROPERTY);
    } else {
      System.setProperty(CofferServerMain.LEAK_DETECTION_PROPERTY, before);
    }
  }

  @Test
  void unset_becomesDisabled() {
    System.clearProperty(CofferServerMain.LEAK_DETECTION_PROPERTY);
    CofferServerMain.disableLeakSamplingUnlessSet();
    assertEquals("disabled", System.getProperty(CofferServerMain.LEAK_DETECTION_PROPERTY));
  }

  @Test
  void anOperatorsChoice_isKept() {
    System.setProperty(CofferServerMain.LEAK_DETECTION_PROPERTY, "paranoid");
    CofferServerMain.disableLeakSamplingUnlessSet();
    assertEquals("paranoid", System.getProperty(CofferServerMain.LEAK_DETECTION_PROPERTY));
  }
}
