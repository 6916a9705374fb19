package dev.coffer.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void hostAndPort_splitAtTheLastColon() {
    assertEquals(new HostPort("127.0.0.1", 7443), HostPort.parse("127.0.0.1:7443").orElseThrow());
    assertEquals(new HostPort("[::1]", 0), HostPort.parse("[::1]:0").orElseThrow());
    assertEquals(65_535, HostPort.parse("h:65535").orElseThrow().port());
  }

  @Test
  void anythingElse_isRefused() {
    for (String bad : new String[] {"", "7443", ":7443", "host", "host:", "host:65536",
        "host:-1", "host:+80", "host:port", "host:123456"}) {
      assertTrue(HostPort.parse(bad).isEmpty(), bad);
    }
  }
}
