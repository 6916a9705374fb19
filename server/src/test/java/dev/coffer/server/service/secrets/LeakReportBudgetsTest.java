package dev.coffer.server.service.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.testing.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The networks leak reports are counted in, and the order budgets are spent in. */
class LeakReportBudgetsTest {

  static InetSocketAddress at(String host) {
    return new InetSocketAddress(host, 443);
  }

  @Test
  void network_isTheSlash24_orTheSlash64_orThePeerItself() {
    assertEquals("198.51.100.0/24", LeakReportBudgets.network(at("198.51.100.77")));
    assertEquals("198.51.100.0/24", LeakReportBudgets.network(at("::ffff:198.51.100.9")));
    assertEquals("2001:db8:1:2:0:0:0:0/64",
        LeakReportBudgets.network(at("2001:db8:1:2:abcd:ef01:2345:6789")));
    assertEquals("peer:", LeakReportBudgets.network(null));
  }

  @Test
  void oneAddressFlood_spendsItsOwnBudget_notTheNetworkOrOverallOne() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    LeakReportBudgets budgets = new LeakReportBudgets(
        new LeakReportBudgets.Limits(2, 3, 4, 1), clock);
    assertTrue(budgets.admit(at("192.0.2.1")));
    assertTrue(budgets.admit(at("192.0.2.1")));
    for (int i = 0; i < 10; i++) {
      assertFalse(budgets.admit(at("192.0.2.1")), "refused by its address budget");
    }
    assertTrue(budgets.admit(at("192.0.2.2")), "the network had one report left");
    assertFalse(budgets.admit(at("192.0.2.3")), "the /24 is spent");
    assertTrue(budgets.admit(at("192.0.3.1")), "the overall budget had one left");
    assertFalse(budgets.admit(at("192.0.4.1")), "the overall budget is spent");
    assertTrue(budgets.writeMiss());
    assertFalse(budgets.writeMiss());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(budgets.admit(at("192.0.2.1")));
    assertTrue(budgets.writeMiss());
  }

  @Test
  void limits_mustBePositive() {
    assertThrows(IllegalArgumentException.class,
        () -> new LeakReportBudgets.Limits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new LeakReportBudgets.Limits(1, 1, 1, -1));
  }
}
