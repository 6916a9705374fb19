package dev.coffer.server.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process for {@link RocksKvStoreKillTest}: commits numbered entries from 4 threads
 * and prints {@code acked N} after each commit returns, until killed or until it has
 * written {@code maxEntries} or run {@code maxSeconds}. Arguments: dir, maxEntries,
 * maxSeconds.
 */
public final class DurabilityWriterMain {

  static final int THREADS = 4;

  private DurabilityWriterMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    long maxEntries = Long.parseLong(args[1]);
    long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    startWatchdog(Long.parseLong(args[2]) + 30);

    AtomicLong next = new AtomicLong();
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread writer = new Thread(() -> {
          for (long n = next.incrementAndGet(); n <= maxEntries && System.nanoTime() < deadline;
              n = next.incrementAndGet()) {
            store.commit(entry(n));
            ack(n);
          }
        }, "writer-" + t);
        writer.start();
        writers.add(writer);
      }
      for (Thread writer : writers) {
        writer.join();
      }
    }
  }

  /** Entry {@code n}: a value in SECRETS and its index row, in one batch. */
  static Changes entry(long n) {
    return new Changes()
        .put(Table.SECRETS, secretKey(n), value(n))
        .put(Table.INDEX, indexKey(n), new byte[0]);
  }

  static byte[] secretKey(long n) {
    return Keys.builder().str("entry").u64(n).build();
  }

  static byte[] indexKey(long n) {
    return Keys.builder().str("by-number").u64(n).build();
  }

  static byte[] value(long n) {
    return ("value-" + n).getBytes(StandardCharsets.UTF_8);
  }

  private static synchronized void ack(long n) {
    System.out.println("acked " + n);
    System.out.flush();
  }

  /** Ends the process even if a write or the close hangs. */
  private static void startWatchdog(long seconds) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(seconds * 1000);
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(3);
    }, "watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
