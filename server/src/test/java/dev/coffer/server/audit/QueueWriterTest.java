package dev.coffer.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueueWriterTest {

  @Test
  void signalsDuringARun_scheduleExactlyOneMoreRun() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Semaphore finished = new Semaphore(0);
    QueueWriter writer = new QueueWriter("test-writer", () -> {
      if (runs.incrementAndGet() == 1) {
        firstStarted.countDown();
        await(release);
      }
      finished.release();
    });
    try {
      assertTrue(writer.signal());
      assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
      assertTrue(writer.signal(), "queued while the first run works: a second run is due");
      assertTrue(writer.signal(), "already due: coalesced into it");
      release.countDown();
      assertTrue(finished.tryAcquire(2, 10, TimeUnit.SECONDS));
      assertFalse(finished.tryAcquire(200, TimeUnit.MILLISECONDS), "no third run");
      assertEquals(2, runs.get());
    } finally {
      writer.close();
    }
  }

  @Test
  void afterClose_aSignalSaysThatNoRunWillCome() {
    AtomicInteger runs = new AtomicInteger();
    QueueWriter writer = new QueueWriter("test-writer", runs::incrementAndGet);
    writer.close();
    assertFalse(writer.signal());
    assertEquals(0, runs.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
