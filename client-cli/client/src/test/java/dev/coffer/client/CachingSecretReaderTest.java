package dev.coffer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reader against a fake server that counts RevealSecret calls, with a hand-moved clock: ttl
 * 100 s, refresh ahead at 80 s.
 */
class CachingSecretReaderTest {

  private static final Duration TTL = Duration.ofSeconds(100);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicInteger version = new AtomicInteger();
  private FakeCofferServer server;
  private CofferClient client;
  private CachingSecretReader reader;

  @BeforeEach
  void start() throws Exception {
    server = new FakeCofferServer();
    server.answer = req -> value("v" + version.incrementAndGet());
    client = server.connect(ClientConfig.builder().tokenSupplier(() -> "t").build());
    reader =
        CachingSecretReader.builder(client).ttl(TTL).refreshAhead(0.8).nanoTime(nanos::get).build();
  }

  @AfterEach
  void stop() {
    reader.close();
    client.close();
    server.close();
  }

  private static RevealSecretResponse value(String v) {
    return RevealSecretResponse.newBuilder().setSecret("secrets/s1").setValue("cfr_cs_" + v).build();
  }

  private void advance(long seconds) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  private int reveals() {
    return server.requests.size();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "condition not met within 5 s");
      Thread.sleep(5);
    }
  }

  @Test
  void theFirstGet_revealsOnce_withThePrefixedName() {
    assertEquals("cfr_cs_v1", reader.get("s1"));
    assertEquals(1, reveals());
    assertEquals("secrets/s1", server.last(RevealSecretRequest.class).getName());
  }

  @Test
  void aHitWithinTheTtl_makesNoCall_andBareAndPrefixedIdsShareTheEntry() {
    reader.get("s1");
    advance(79);
    assertEquals("cfr_cs_v1", reader.get("s1"));
    assertEquals("cfr_cs_v1", reader.get("secrets/s1"));
    assertEquals(1, reveals());
  }

  @Test
  void pastRefreshAhead_getServesTheCachedValue_andMakesExactlyOneBackgroundCall()
      throws Exception {
    reader.get("s1");
    CountDownLatch release = new CountDownLatch(1);
    server.answer =
        req -> {
          awaitQuietly(release);
          return value("v2");
        };
    advance(85);
    for (int i = 0; i < 5; i++) {
      assertEquals("cfr_cs_v1", reader.get("s1"), "served while the refresh is in flight");
    }
    await(() -> reveals() == 2);
    release.countDown();
    await(() -> reader.get("s1").equals("cfr_cs_v2"));
    assertEquals(2, reveals());
    advance(79);
    assertEquals("cfr_cs_v2", reader.get("s1"), "the refresh restarted the entry's clock");
    assertEquals(2, reveals());
  }

  @Test
  void pastTheTtl_getBlocksOnAFreshReveal() {
    reader.get("s1");
    advance(100);
    assertEquals("cfr_cs_v2", reader.get("s1"));
    assertEquals(2, reveals());
  }

  @Test
  void concurrentGetsOfOneMissingId_makeOneCall() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.answer =
        req -> {
          awaitQuietly(release);
          return value("once");
        };
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<String>> results = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(
            pool.submit(
                () -> {
                  synchronized (threads) {
                    threads.add(Thread.currentThread());
                  }
                  return reader.get("s1");
                }));
      }
      await(() -> reveals() == 1);
      await(() -> allWaiting(threads, callers));
      release.countDown();
      for (Future<String> r : results) {
        assertEquals("cfr_cs_once", r.get(5, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, reveals());
  }

  @Test
  void refreshNow_forcesACall_andLaterGetsServeItsValue() {
    reader.get("s1");
    assertEquals("cfr_cs_v2", reader.refreshNow("s1"));
    assertEquals(2, reveals());
    assertEquals("cfr_cs_v2", reader.get("secrets/s1"));
    assertEquals(2, reveals());
  }

  @Test
  void aFailingRefresh_servesTheStaleValueUntilHardExpiry_thenThrowsTheStatus() throws Exception {
    reader.get("s1");
    server.answer =
        req -> Status.PERMISSION_DENIED.withDescription("grant revoked").asRuntimeException();
    advance(85);
    assertEquals("cfr_cs_v1", reader.get("s1"));
    await(() -> reveals() >= 2);
    advance(10);
    assertEquals("cfr_cs_v1", reader.get("s1"), "stale but not yet expired");
    advance(5);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> reader.get("s1"));
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
  }

  @Test
  void aFailingRefreshNow_throwsTheStatus_andKeepsTheOldValue() {
    reader.get("s1");
    server.answer = req -> Status.NOT_FOUND.asRuntimeException();
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> reader.refreshNow("s1"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("cfr_cs_v1", reader.get("s1"));
  }

  @Test
  void invalidate_andInvalidateAll_makeTheNextGetRevealAgain() {
    reader.get("s1");
    reader.get("s2");
    reader.invalidate("secrets/s1");
    reader.get("s1");
    reader.get("s2");
    assertEquals(3, reveals());
    reader.invalidateAll();
    reader.get("s1");
    reader.get("s2");
    assertEquals(5, reveals());
  }

  @Test
  void toString_showsCountsButNoValue() {
    reader.get("s1");
    reader.get("s1");
    String shown = reader.toString();
    assertFalse(shown.contains("cfr_cs_"), shown);
    assertTrue(shown.contains("entries=1") && shown.contains("hits=1"), shown);
    assertTrue(shown.contains("reveals=1"), shown);
  }

  @Test
  void afterClose_getIsRefused_andNoCallIsMade() {
    reader.get("s1");
    reader.close();
    assertThrows(IllegalStateException.class, () -> reader.get("s1"));
    assertEquals(1, reveals());
    assertTrue(reader.toString().contains("entries=0"), reader.toString());
  }

  @Test
  void aMalformedId_isRefusedWithoutACall() {
    assertThrows(IllegalArgumentException.class, () -> reader.get("a/b"));
    assertEquals(0, reveals());
  }

  @Test
  void badSettings_areRefused() {
    CachingSecretReader.Builder b = CachingSecretReader.builder(client);
    assertThrows(IllegalArgumentException.class, () -> b.ttl(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.refreshAhead(0));
    assertThrows(IllegalArgumentException.class, () -> b.refreshAhead(1.5));
    assertThrows(IllegalArgumentException.class, () -> b.maxEntries(0));
  }

  @Test
  void withRefreshAheadOff_aStaleEntryIsNotRefreshedInTheBackground() throws Exception {
    try (CachingSecretReader noAhead =
        CachingSecretReader.builder(client).ttl(TTL).refreshAhead(1).nanoTime(nanos::get).build()) {
      noAhead.get("s1");
      advance(99);
      assertEquals("cfr_cs_v1", noAhead.get("s1"));
      Thread.sleep(50);
      assertEquals(1, reveals());
      advance(1);
      assertEquals("cfr_cs_v2", noAhead.get("s1"));
    }
  }

  private static boolean allWaiting(List<Thread> threads, int expected) {
    synchronized (threads) {
      return threads.size() == expected
          && threads.stream()
              .allMatch(
                  t ->
                      t.getState() == Thread.State.WAITING
                          || t.getState() == Thread.State.BLOCKED
                          || t.getState() == Thread.State.TIMED_WAITING);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
