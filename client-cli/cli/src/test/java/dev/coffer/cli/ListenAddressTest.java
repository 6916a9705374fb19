package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bench-baseline's {@code --listen} parsing, the same rules as the server's. */
class ListenAddressTest {

  @Test
  void hostAndPort_splitAtTheLastColon() {
    assertEquals(new ListenAddress("127.0.0.1", 7444),
        ListenAddress.parse("127.0.0.1:7444").orElseThrow());
    assertEquals(new ListenAddress("[::1]", 0), ListenAddress.parse("[::1]:0").orElseThrow());
    assertEquals(65_535, ListenAddress.parse("h:65535").orElseThrow().port());
  }

  @Test
  void anythingElse_isRefused() {
    for (String bad : new String[] {"", "7443", ":7443", "host", "host:", "host:65536",
        "host:-1", "host:+80", "host:port", "host:123456"}) {
      assertTrue(ListenAddress.parse(bad).isEmpty(), bad);
    }
  }
}
