package dev.coffer.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

/**
 * Looks for a value in a RocksDB directory's files as an attacker with the disk would: raw
 * bytes in write-ahead-log segments, and values in SST files (read with RocksDB's own reader,
 * since blocks may be compressed). For crypto-shredding tests.
 */
public final class StorageScan {

  private StorageScan() {}

  /** True if any WAL segment in {@code db} contains {@code value}, or any SST file has it. */
  public static boolean holds(Path db, byte[] value) throws IOException {
    try (Stream<Path> files = Files.list(db)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".log") && contains(Files.readAllBytes(f), value)) {
          return true;
        }
        if (name.endsWith(".sst") && sstHolds(f, value)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first directory under {@code root} holding a RocksDB database (its CURRENT file). */
  public static Path databaseUnder(Path root) throws IOException {
    try (Stream<Path> found = Files.walk(root)) {
      return found.filter(p -> p.getFileName().toString().equals("CURRENT"))
          .findFirst().orElseThrow().getParent();
    }
  }

  private static boolean sstHolds(Path sst, byte[] value) {
    try (Options options = new Options(); SstFileReader reader = new SstFileReader(options)) {
      reader.open(sst.toString());
      try (ReadOptions read = new ReadOptions();
           SstFileReaderIterator it = reader.newIterator(read)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          if (Arrays.equals(it.value(), value)) {
            return true;
          }
        }
      }
      return false;
    } catch (RocksDBException e) {
      return false; // compacted away while we looked: its content lives in a newer file
    }
  }

  /** Whether {@code needle} occurs in {@code haystack}. */
  public static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
