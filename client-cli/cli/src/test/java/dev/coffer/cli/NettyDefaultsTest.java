package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI turns Netty's leak sampling off, but never over an operator's -D. */
class NettyLeakSamplingTest {

  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(NettyLeakSampling.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(NettyLeakSampling.PROPERTY);
    } else {
      System.setProperty(NettyLeakSampling.PROPERTY, before);
    }
  }

  @Test
  void unset_becomesDisabled() {
    System.clearProperty(NettyLeakSampling.PROPERTY);
    NettyLeakSampling.offUnlessSet();
    assertEquals("disabled", System.getProperty(NettyLeakSampling.PROPERTY));
  }

  @Test
  void anOperatorsChoice_isKept() {
    System.setProperty(NettyLeakSampling.PROPERTY, "paranoid");
    NettyLeakSampling.offUnlessSet();
    assertEquals("paranoid", System.getProperty(NettyLeakSampling.PROPERTY));
  }
}
