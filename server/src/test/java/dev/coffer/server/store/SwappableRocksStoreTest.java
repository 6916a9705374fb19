package dev.coffer.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database replaced by a checkpoint under its users, on real RocksDB in a temp dir. */
class SwappableRocksStoreTest {

  @TempDir Path root;
  private Path dir;
  private SwappableRocksStore store;

  @BeforeEach
  void open() {
    dir = root.resolve("db");
    store = SwappableRocksStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aReplacedStoreServesTheCheckpointAndKeepsNoOldFiles() throws Exception {
    store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("1")));
    Path checkpoint = root.resolve("checkpoint");
    store.checkpoint(checkpoint);
    Files.writeString(checkpoint.resolve("CURRENT.md5"), "digest written by Ratis");
    store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("2"))
        .put(Table.SECRETS, utf8("y"), utf8("3")));

    store.replaceWith(checkpoint);

    assertArrayEquals(utf8("1"), store.get(Table.SECRETS, utf8("x")).orElseThrow());
    assertEquals(Optional.empty(), store.get(Table.SECRETS, utf8("y")));
    store.commit(new Changes().put(Table.SECRETS, utf8("z"), utf8("4")));
    assertArrayEquals(utf8("4"), store.get(Table.SECRETS, utf8("z")).orElseThrow());
    assertFalse(Files.exists(root.resolve("db.previous")));
    assertFalse(Files.exists(root.resolve("db.incoming")));
    assertFalse(Files.exists(dir.resolve("CURRENT.md5")), "Ratis's digests are not database files");
    // the checkpoint stays as it was (it is the node's snapshot): it opens with the old value
    try (RocksKvStore copy = RocksKvStore.openReadOnly(checkpoint)) {
      assertArrayEquals(utf8("1"), copy.get(Table.SECRETS, utf8("x")).orElseThrow());
      assertEquals(Optional.empty(), copy.get(Table.SECRETS, utf8("z")));
    }
  }

  @Test
  void aReadCacheInFrontForgetsWhatTheReplacedDatabaseHeld() {
    CachingKvStore cache = new CachingKvStore(store, 1 << 20);
    cache.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("old")));
    Path checkpoint = root.resolve("checkpoint");
    store.checkpoint(checkpoint);
    cache.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("new"))
        .put(Table.SECRETS, utf8("p\0" + "a"), utf8("1")));
    assertArrayEquals(utf8("new"), cache.get(Table.SECRETS, utf8("x")).orElseThrow());
    assertEquals(1, cache.scan(Table.SECRETS, utf8("p\0"), null, 10).size());
    assertArrayEquals(utf8("new"), cache.get(Table.SECRETS, utf8("x")).orElseThrow());
    assertTrue(cache.stats().hitCount() >= 1, "the read was cached");

    store.replaceWith(checkpoint);

    assertArrayEquals(utf8("old"), cache.get(Table.SECRETS, utf8("x")).orElseThrow());
    assertEquals(List.of(), cache.scan(Table.SECRETS, utf8("p\0"), null, 10));
  }

  @Test
  void readersAndWritersDuringReplacementsNeverSeeAClosedDatabase() throws Exception {
    store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("a")));
    Path checkpoint = root.resolve("checkpoint");
    store.checkpoint(checkpoint);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int thread = t;
        readers.add(pool.submit(() -> {
          int reads = 0;
          for (int n = 0; n < 2_000; n++) {
            byte[] value = store.get(Table.SECRETS, utf8("x")).orElseThrow();
            assertTrue(List.of("a", "b").contains(new String(value, UTF_8)));
            store.commit(new Changes().put(Table.INDEX, utf8("t" + thread), utf8("n" + n)));
            reads++;
          }
          return reads;
        }));
      }
      for (int swaps = 0; swaps < 5; swaps++) {
        store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("b")));
        store.replaceWith(checkpoint);
      }
      for (Future<Integer> reader : readers) {
        assertEquals(2_000, reader.get(60, TimeUnit.SECONDS)); // a failed call fails the get
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCheckpointThatIsNoDatabaseChangesNothing() throws Exception {
    store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("1")));
    Path empty = Files.createDirectories(root.resolve("not-a-database"));

    CofferException e = assertThrows(CofferException.class, () -> store.replaceWith(empty));

    assertEquals(Reason.STORAGE_FAILURE, e.reason());
    assertArrayEquals(utf8("1"), store.get(Table.SECRETS, utf8("x")).orElseThrow());
    assertFalse(Files.exists(root.resolve("db.incoming")));
  }

  @Test
  void aDatabaseThatDoesNotOpenIsRolledBackToThePreviousOne() throws Exception {
    store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("1")));
    Path broken = root.resolve("broken");
    store.checkpoint(broken);
    // CURRENT names a manifest the copy does not have: RocksDB refuses to open it
    Files.writeString(broken.resolve("CURRENT"), "MANIFEST-999999\n");

    assertThrows(CofferException.class, () -> store.replaceWith(broken));

    assertArrayEquals(utf8("1"), store.get(Table.SECRETS, utf8("x")).orElseThrow());
    store.commit(new Changes().put(Table.SECRETS, utf8("y"), utf8("2")));
    assertFalse(Files.exists(root.resolve("db.previous")));
  }

  @Test
  void openFinishesOrUndoesAReplacementACrashInterrupted() throws Exception {
    store.commit(new Changes().put(Table.SECRETS, utf8("x"), utf8("1")));
    store.checkpoint(root.resolve("db.incoming"));
    store.close();
    // crashed after renaming the database away, before renaming the copy into place
    Files.move(dir, root.resolve("db.previous"));

    store = SwappableRocksStore.open(dir);

    assertArrayEquals(utf8("1"), store.get(Table.SECRETS, utf8("x")).orElseThrow());
    assertFalse(Files.exists(root.resolve("db.previous")));
    assertFalse(Files.exists(root.resolve("db.incoming")));
  }

  @Test
  void aClosedStoreRefusesCallsAndReplacements() throws Exception {
    Path checkpoint = root.resolve("checkpoint");
    store.checkpoint(checkpoint);
    store.close();

    assertEquals(Reason.STORAGE_FAILURE, assertThrows(CofferException.class,
        () -> store.get(Table.SECRETS, utf8("x"))).reason());
    assertEquals(Reason.STORAGE_FAILURE, assertThrows(CofferException.class,
        () -> store.replaceWith(checkpoint)).reason());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }
}
