package dev.coffer.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves, with a real {@code kill -9}, that a commit acknowledged by {@link RocksKvStore}
 * is in the database when it is opened again. The child is {@link DurabilityWriterMain}.
 *
 * <p>A process kill leaves the OS page cache intact, so this shows that nothing
 * acknowledged is still in user space; that the WAL is also fsynced before the
 * acknowledgement (power loss) is shown by {@code RocksKvStoreTest#commit_syncsTheWal_everyTime}.
 */
class RocksKvStoreKillTest {

  private static final long CHILD_MAX_ENTRIES = 200_000;
  private static final long CHILD_MAX_SECONDS = 60;
  private static final long WAIT_FOR_ACKS_SECONDS = 60;

  /** Where RocksDB's loader puts its native library instead of java.io.tmpdir. */
  private static final String NATIVE_LIBRARY_DIR_VARIABLE = "ROCKSDB_SHAREDLIB_DIR";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "killed after {0} acks")
  @ValueSource(ints = {300, 750, 1500})
  void killedWriter_losesNoAcknowledgedCommit(int killAfterAcks) throws Exception {
    Path stderr = dir.resolve("child-stderr.txt");
    Path data = dir.resolve("db");
    ProcessBuilder builder = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", testClassPath(),
            DurabilityWriterMain.class.getName(),
            data.toString(), Long.toString(CHILD_MAX_ENTRIES), Long.toString(CHILD_MAX_SECONDS)))
        .redirectError(stderr.toFile());
    // RocksDB copies its native library out of the jar into java.io.tmpdir under a fresh
    // name and deletes it at a clean exit only: a killed child would leave 17 MB in /tmp.
    builder.environment().put(NATIVE_LIBRARY_DIR_VARIABLE, dir.toString());
    Process child = builder.start();
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    CountDownLatch enough = new CountDownLatch(killAfterAcks);
    Thread reader = new Thread(() -> readAcks(child, acked, enough), "ack-reader");
    reader.setDaemon(true);
    try {
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_FOR_ACKS_SECONDS);
      while (!enough.await(50, TimeUnit.MILLISECONDS)) {
        if (!child.isAlive() || System.nanoTime() > deadline) {
          break;
        }
      }
      if (enough.getCount() > 0 || !child.isAlive()) {
        fail("child gave " + acked.size() + " acks, alive=" + child.isAlive() + ", stderr:\n"
            + Files.readString(stderr));
      }
    } finally {
      // SIGKILL through the handle: Process.destroyForcibly would also close the child's
      // stdout under the reader, which must read to EOF to see every ack printed in time.
      child.toHandle().destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed child did not exit");
    }
    reader.join(TimeUnit.SECONDS.toMillis(30)); // ends at EOF: every ack printed before death
    assertFalse(reader.isAlive(), "ack reader still running");
    assertEquals(137, child.exitValue(), "exit value of a SIGKILLed process");
    try (var files = Files.list(dir)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("librocksdbjni")),
          "the child's native library went to the test's own directory, not /tmp");
    }

    try (RocksKvStore store = RocksKvStore.open(data)) {
      for (long n : acked) {
        byte[] value = store.get(Table.SECRETS, DurabilityWriterMain.secretKey(n))
            .orElseThrow(() -> new AssertionError("acknowledged entry " + n + " lost"));
        assertArrayEquals(DurabilityWriterMain.value(n), value);
        assertTrue(store.get(Table.INDEX, DurabilityWriterMain.indexKey(n)).isPresent(),
            "index row of acknowledged entry " + n + " lost");
      }
    }
    assertTrue(acked.size() >= killAfterAcks);
  }

  /** Counts only complete lines: a kill can cut the last one short ("acked 12" of 123). */
  private static void readAcks(Process child, Set<Long> acked, CountDownLatch enough) {
    try (InputStream in = new BufferedInputStream(child.getInputStream())) {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1; c = in.read()) {
        if (c != '\n') {
          line.append((char) c);
          continue;
        }
        if (line.toString().startsWith("acked ")) {
          acked.add(Long.parseLong(line.substring("acked ".length())));
          enough.countDown();
        }
        line.setLength(0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Surefire may run tests from a manifest-only jar; it names the real class path here. */
  private static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
