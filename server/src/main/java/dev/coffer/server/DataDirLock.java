package dev.coffer.server;

import dev.coffer.server.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory: an exclusive OS file lock on {@code DATA_DIR/server.lock},
 * taken before the vault is opened and held for the life of the process, with the holder's
 * pid written in the file. A second server on the same data directory is refused with one
 * line naming the lock file and the pid that holds it (exit 2), instead of RocksDB's lock
 * error with a stack trace.
 */
final class DataDirLock implements AutoCloseable {

  static final String FILE_NAME = "server.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}, which must exist.
   *
   * @throws ConfigException when another server holds it, or it cannot be taken
   */
  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process (another server object in the same JVM)
      }
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new ConfigException("--data-dir " + dataDir + " is in use by another Coffer "
            + "server (" + (holder.isEmpty() ? "" : "pid " + holder + " holds ") + file
            + "); stop it first, or pass another --data-dir");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigException("cannot lock the data directory (" + file + ": "
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** The pid written by the holder, or empty when unreadable. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)
          .strip();
      return pid.matches("\\d{1,19}") ? pid : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  /** Releases the lock (the OS releases it too when the process ends). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // the channel's close releases it as well
    }
    closeQuietly(channel);
  }
}
