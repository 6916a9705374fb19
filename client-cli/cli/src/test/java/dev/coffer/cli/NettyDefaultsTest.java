package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI turns Netty's leak sampling and flight-recorder events off, never over a -D. */
class NettyDefaultsTest {

  private static final List<String> PROPERTIES =
      List.of(NettyDefaults.LEAK_DETECTION, NettyDefaults.JFR_EVENTS);

  private final Map<String, String> before = new HashMap<>();

  @BeforeEach
  void remember() {
    PROPERTIES.forEach(p -> before.put(p, System.getProperty(p)));
  }

  @AfterEach
  void restore() {
    before.forEach((p, v) -> {
      if (v == null) {
        System.clearProperty(p);
      } else {
        System.setProperty(p, v);
      }
    });
  }

  @Test
  void unset_becomesOff() {
    PROPERTIES.forEach(System::clearProperty);
    NettyDefaults.applyUnlessSet();
    assertEquals("disabled", System.getProperty(NettyDefaults.LEAK_DETECTION));
    assertEquals("false", System.getProperty(NettyDefaults.JFR_EVENTS));
  }

  @Test
  void anOperatorsChoice_isKept() {
    System.setProperty(NettyDefaults.LEAK_DETECTION, "paranoid");
    System.setProperty(NettyDefaults.JFR_EVENTS, "true");
    NettyDefaults.applyUnlessSet();
    assertEquals("paranoid", System.getProperty(NettyDefaults.LEAK_DETECTION));
    assertEquals("true", System.getProperty(NettyDefaults.JFR_EVENTS));
  }
}
