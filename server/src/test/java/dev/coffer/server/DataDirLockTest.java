package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A second server on a data dir in use: one line naming the lock and its holder, exit 2. */
class DataDirLockTest {

  @TempDir Path dir;

  @Test
  @SuppressWarnings("try") // the first lock is held, not used, while the second server starts
  void aSecondServerOnTheSameDataDir_isOneClearLine_namingTheLockAndThePid() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (DataDirLock first = DataDirLock.acquire(data);
        ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int exit = new CommandLine(new CofferServerMain(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--dev", "--data-dir",
          data.toString(), "--listen", "127.0.0.1:" + busy.getLocalPort(), "--metrics-listen",
          "off");
      assertEquals(2, exit);
    }
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertTrue(stderr.contains("is in use by another Coffer server (pid "
        + ProcessHandle.current().pid() + " holds " + data.resolve("server.lock")), stderr);
    assertEquals(1, stderr.lines().filter(l -> l.startsWith("coffer-server:")).count(), stderr);
    assertFalse(stderr.contains("\tat "), "no stack trace");
    assertFalse(Files.exists(data.resolve("db").resolve("CURRENT")), "the vault was not opened");
  }

  @Test
  @SuppressWarnings("try") // the first lock is held, not used
  void theLock_isFreeAgainOnceReleased() {
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      assertThrows(ConfigException.class, () -> DataDirLock.acquire(dir));
    }
    DataDirLock.acquire(dir).close();
  }
}
