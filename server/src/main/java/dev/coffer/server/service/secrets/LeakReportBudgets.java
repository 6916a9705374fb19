package dev.coffer.server.service.secrets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.service.kernel.PeerHost;
import dev.coffer.server.service.kernel.PerMinuteBudget;
import io.github.bucket4j.Bucket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * The token buckets of anonymous leak reports, per minute, refilled greedily on the
 * vault's clock.
 *
 * <p>{@link #admit} is checked before any lookup and decides whether a report is worked
 * on at all: the reporter's address, then its network (an IPv4 /24, an IPv6 /64: one
 * host rarely owns just one address of them), then the overall cap, narrowest first, so
 * a flood from one address or network spends its own budgets and not the overall one
 * that every other reporter shares. {@link #writeMiss} comes after the lookup and only
 * decides whether a report that quarantined nothing is written to the audit trail: a
 * flood of misses is bounded in synced writes by a smaller allowance, while a report that
 * matches a live secret never asks it and is always processed. The reporter cannot tell
 * the difference: a throttled miss gets the same answer as a written one.
 *
 * <p>Security: keys are addresses and network prefixes only; values never reach here.
 * Memory is bounded (at most {@value #MAX_TRACKED} addresses and as many networks, idle
 * ones forgotten after two minutes).
 */
final class LeakReportBudgets {

  static final int MAX_TRACKED = 100_000;

  /**
   * Reports per minute.
   *
   * @param perAddress from one address
   * @param perNetwork from one IPv4 /24 or IPv6 /64, all its addresses together
   * @param total from everyone
   * @param missesWritten reports that quarantined nothing and are still written to the
   *     audit trail; beyond it they are counted, not written
   */
  record Limits(long perAddress, long perNetwork, long total, long missesWritten) {
    Limits {
      if (perAddress < 1 || perNetwork < 1 || total < 1 || missesWritten < 0) {
        throw new IllegalArgumentException("leak report budgets must be positive");
      }
    }
  }

  private final Clock clock;
  private final Limits limits;
  private final Cache<String, Bucket> perAddress = tracker();
  private final Cache<String, Bucket> perNetwork = tracker();
  private final Bucket total;
  private final Bucket misses;

  LeakReportBudgets(Limits limits, Clock clock) {
    this.clock = clock;
    this.limits = limits;
    this.total = PerMinuteBudget.of(limits.total(), clock);
    this.misses = limits.missesWritten() == 0 ? null
        : PerMinuteBudget.of(limits.missesWritten(), clock);
  }

  /** Whether a report from {@code peer} may be worked on now; spends one of each budget. */
  boolean admit(SocketAddress peer) {
    return perAddress.get(PeerHost.of(peer),
            k -> PerMinuteBudget.of(limits.perAddress(), clock))
        .tryConsume(1)
        && perNetwork.get(network(peer), k -> PerMinuteBudget.of(limits.perNetwork(), clock))
            .tryConsume(1)
        && total.tryConsume(1);
  }

  /** Whether a report that quarantined nothing is written to the audit trail. */
  boolean writeMiss() {
    return misses != null && misses.tryConsume(1);
  }

  /**
   * The network an address is counted in: {@code a.b.c.0/24} for IPv4 (an IPv4-mapped
   * IPv6 address counts as its IPv4 address), the first 64 bits for IPv6, and the peer
   * itself for anything else (an in-process transport).
   */
  static String network(SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return "peer:" + PeerHost.of(peer);
    }
    byte[] a = inet.getAddress().getAddress();
    if (a.length == 16 && isIpv4Mapped(a)) {
      a = Arrays.copyOfRange(a, 12, 16);
    }
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + ".0/24";
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(a, 8), 16)).getHostAddress()
          + "/64";
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 16-byte address is always valid", e);
    }
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static Cache<String, Bucket> tracker() {
    return Caffeine.newBuilder().maximumSize(MAX_TRACKED)
        .expireAfterAccess(Duration.ofMinutes(2)).build();
  }
}
