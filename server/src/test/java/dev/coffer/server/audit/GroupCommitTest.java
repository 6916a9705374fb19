package dev.coffer.server.audit;

import static dev.coffer.server.audit.AuditFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent writers share synced batches without breaking the chain or losing a write. */
class GroupCommitTest {

  @TempDir Path dir;
  RocksKvStore store;
  CheckpointSigner signer;
  ChainedAuditLog log;

  @BeforeEach
  void setUp() {
    store = RocksKvStore.open(dir.resolve("db"));
    signer = AuditFixtures.signer(dir, "root");
    log = new ChainedAuditLog(store, signer, 50);
  }

  @AfterEach
  void tearDown() {
    log.close();
    store.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static AuditEvent event(String target) {
    return AuditFixtures.event("default", "alice", AuditAction.SECRET_CREATE, target, T0);
  }

  @Test
  void concurrentWriters_everyChangeCommitsWithItsEvent_andTheChainVerifies() throws Exception {
    int writers = 16;
    int each = 40;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            String key = "w" + writer + "-" + i;
            log.commit(new Changes().put(Table.SECRETS, utf8(key), utf8(key)), event(key));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(writers * each, log.lastSequence());
    Set<String> targets = new HashSet<>();
    for (long seq = 1; seq <= log.lastSequence(); seq++) {
      targets.add(AuditFixtures.read(store, seq).getTarget());
    }
    assertEquals(writers * each, targets.size(), "each event once, none lost");
    for (String key : targets) {
      assertArrayEquals(utf8(key), store.get(Table.SECRETS, utf8(key)).orElseThrow());
    }
    assertTrue(new AuditChainVerifier(store, signer).verify().intact());
  }

  @Test
  void guardedChange_appliesWhenTheExpectationHolds() {
    log.commit(new Changes().put(Table.SECRETS, utf8("k"), utf8("v1")), event("k"));
    log.commit(new Changes().expect(Table.SECRETS, utf8("k"), utf8("v1"))
        .put(Table.SECRETS, utf8("k"), utf8("v2")), event("k"));
    assertArrayEquals(utf8("v2"), store.get(Table.SECRETS, utf8("k")).orElseThrow());
    assertEquals(2, log.lastSequence());
  }

  @Test
  void guardedChange_whoseKeyChanged_writesNothing_noEventEither() {
    log.commit(new Changes().put(Table.SECRETS, utf8("k"), utf8("v1")), event("k"));
    log.commit(new Changes().delete(Table.SECRETS, utf8("k")), event("k"));
    CofferException e = assertThrows(CofferException.class, () -> log.commit(
        new Changes().expect(Table.SECRETS, utf8("k"), utf8("v1"))
            .put(Table.SECRETS, utf8("k"), utf8("resurrected")), event("k")));
    assertEquals(Reason.CONCURRENT_CHANGE, e.reason());
    assertFalse(store.get(Table.SECRETS, utf8("k")).isPresent(), "a deleted key stays deleted");
    assertEquals(2, log.lastSequence());
    assertTrue(new AuditChainVerifier(store, signer).verify().intact());
  }

  @Test
  void guardedChange_expectingAbsence() {
    log.commit(new Changes().expect(Table.SECRETS, utf8("new"), null)
        .put(Table.SECRETS, utf8("new"), utf8("v")), event("new"));
    assertThrows(CofferException.class, () -> log.commit(
        new Changes().expect(Table.SECRETS, utf8("new"), null)
            .put(Table.SECRETS, utf8("new"), utf8("w")), event("new")));
    assertArrayEquals(utf8("v"), store.get(Table.SECRETS, utf8("new")).orElseThrow());
  }

  @Test
  void failedWrite_failsItsCallers_andTheChainDoesNotAdvance() {
    log.commit(new Changes().put(Table.SECRETS, utf8("k"), utf8("v")), event("k"));
    long before = log.lastSequence();
    store.close();
    CofferException plain = assertThrows(CofferException.class, () -> log.commit(
        new Changes().put(Table.SECRETS, utf8("x"), utf8("y")), event("x")));
    assertEquals(Reason.STORAGE_FAILURE, plain.reason());
    // A guarded change whose check itself fails returns too, instead of waiting forever.
    CofferException guarded = assertThrows(CofferException.class, () -> log.commit(
        new Changes().expect(Table.SECRETS, utf8("k"), utf8("v"))
            .put(Table.SECRETS, utf8("k"), utf8("w")), event("k")));
    assertEquals(Reason.STORAGE_FAILURE, guarded.reason());
    assertEquals(before, log.lastSequence());
  }

  @Test
  void asyncAndBlockingWriters_shareTheChain_everyFutureCompletesOnlyOnceDurable()
      throws Exception {
    int asyncWrites = 400;
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    ExecutorService blocking = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> blocked = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        blocked.add(blocking.submit(() -> {
          for (int i = 0; i < 25; i++) {
            String key = "b" + writer + "-" + i;
            log.commit(new Changes().put(Table.SECRETS, utf8(key), utf8(key)), event(key));
          }
          return null;
        }));
      }
      for (int i = 0; i < asyncWrites; i++) {
        String key = "a" + i;
        futures.add(log.commitAsync(new Changes().put(Table.SECRETS, utf8(key), utf8(key)),
            event(key)).thenRun(() -> assertArrayEquals(utf8(key),
                store.get(Table.SECRETS, utf8(key)).orElseThrow(), "written before completed")));
      }
      for (Future<?> f : blocked) {
        f.get(60, TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      blocking.shutdownNow();
    }
    assertEquals(asyncWrites + 100, log.lastSequence());
    Set<String> targets = new HashSet<>();
    for (long seq = 1; seq <= log.lastSequence(); seq++) {
      targets.add(AuditFixtures.read(store, seq).getTarget());
    }
    assertEquals(asyncWrites + 100, targets.size(), "each event once, none lost");
    assertTrue(new AuditChainVerifier(store, signer).verify().intact());
  }

  @Test
  void asyncWriteThatFails_completesExceptionally_andTheChainDoesNotAdvance() {
    log.commit(new Changes().put(Table.SECRETS, utf8("k"), utf8("v")), event("k"));
    long before = log.lastSequence();
    store.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> log.commitAsync(
        new Changes().put(Table.SECRETS, utf8("x"), utf8("y")), event("x"))
        .get(30, TimeUnit.SECONDS));
    assertEquals(Reason.STORAGE_FAILURE, ((CofferException) e.getCause()).reason());
    assertEquals(before, log.lastSequence());
  }

  @Test
  void close_writesWhatIsQueued_andLaterAsyncWritesStillComplete() throws Exception {
    List<CompletableFuture<Void>> queued = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      queued.add(log.commitAsync(new Changes(), event("q" + i)));
    }
    log.close();
    for (CompletableFuture<Void> f : queued) {
      assertTrue(f.isDone(), "close waits for the queue");
      f.get();
    }
    // After close the caller's own thread writes it: never a future that waits forever.
    log.commitAsync(new Changes(), event("late")).get(30, TimeUnit.SECONDS);
    assertEquals(51, log.lastSequence());
  }
}
