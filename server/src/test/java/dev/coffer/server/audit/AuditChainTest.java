package dev.coffer.server.audit;

import static dev.coffer.server.audit.AuditFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain and its signed checkpoints against an attacker with write access to the raw
 * store. Ten events with a checkpoint every four: checkpoints at 0 (the anchor written on
 * open), 4 and 8.
 */
class AuditChainTest {

  @TempDir Path dir;
  RocksKvStore store;
  CheckpointSigner signer;
  ChainedAuditLog log;

  @BeforeEach
  void setUp() {
    store = RocksKvStore.open(dir.resolve("db"));
    signer = AuditFixtures.signer(dir, "root");
    log = new ChainedAuditLog(store, signer, 4);
    for (int i = 1; i <= 10; i++) {
      log.commit(new Changes().put(Table.SECRETS, ("k" + i).getBytes(StandardCharsets.UTF_8),
          new byte[] {1}), event("secrets/s" + i));
    }
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static AuditEvent event(String target) {
    return AuditFixtures.event("default", "alice", AuditAction.SECRET_CREATE, target, T0);
  }

  private AuditChainVerifier.Result verify() {
    return new AuditChainVerifier(store, signer).verify();
  }

  private String firstBreak() {
    AuditChainVerifier.Result r = verify();
    assertFalse(r.intact(), "the tampering went unnoticed");
    return r.firstBreak().orElseThrow();
  }

  @Test
  void aGroupCommitWithNothingQueued_writesNothing() {
    // The writer thread checks the queue, then waits for the lock; drain() may have written
    // everything meanwhile. The group it then commits is empty and must not rewrite the head.
    long before = store.latestSequenceNumber();
    log.drain();
    assertTrue(log.commitGroup().isEmpty());
    assertEquals(before, store.latestSequenceNumber(), "an empty group wrote to the store");
    assertEquals(10, log.lastSequence());
  }

  @Test
  void intactChain_verifiesWithEveryCheckpoint() {
    AuditChainVerifier.Result r = verify();
    assertTrue(r.intact(), r.firstBreak().orElse(""));
    assertEquals(10, r.eventsChecked());
    assertEquals(3, r.checkpointsChecked());
  }

  @Test
  void changeEventIndexAndCheckpoint_commitInOneBatch() {
    assertTrue(store.get(Table.SECRETS, "k8".getBytes(StandardCharsets.UTF_8)).isPresent());
    assertTrue(store.get(Table.INDEX, AuditKeys.indexKey("default", 8)).isPresent());
    assertTrue(store.get(Table.META, AuditKeys.checkpointKey(8)).isPresent());
    assertFalse(store.get(Table.META, AuditKeys.checkpointKey(7)).isPresent());
    assertEquals(10, log.lastSequence());
  }

  @Test
  void reopenedLog_continuesTheChain() {
    ChainedAuditLog reopened = new ChainedAuditLog(store, signer, 4);
    reopened.record(event("secrets/after"));
    assertEquals(11, reopened.lastSequence());
    assertTrue(verify().intact(), verify().firstBreak().orElse(""));
  }

  @Test
  void reopeningAfterACrash_anchorsACheckpointAtTheHead() {
    assertFalse(store.get(Table.META, AuditKeys.checkpointKey(10)).isPresent());
    new ChainedAuditLog(store, signer, 4);
    assertTrue(store.get(Table.META, AuditKeys.checkpointKey(10)).isPresent());
  }

  @Test
  void reopeningWithALongerInterval_staysVerifiable() {
    ChainedAuditLog reopened = new ChainedAuditLog(store, signer, 7);
    for (int i = 0; i < 9; i++) {
      reopened.record(event("secrets/more" + i));
    }
    AuditChainVerifier.Result r = verify();
    assertTrue(r.intact(), r.firstBreak().orElse(""));
    assertEquals(19, r.eventsChecked());
  }

  @Test
  void shutdownCheckpoint_coversTheHead_once() {
    log.checkpoint();
    log.checkpoint();
    assertTrue(store.get(Table.META, AuditKeys.checkpointKey(10)).isPresent());
    assertEquals(4, verify().checkpointsChecked());
  }

  @Test
  void intervalBelowOne_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ChainedAuditLog(store, signer, 0));
  }

  @Test
  void editedEvent_isDetectedAtTheNextLink() throws Exception {
    AuditFixtures.write(store, 2, AuditFixtures.read(store, 2).toBuilder()
        .setActor("mallory").build());
    assertEquals("event 3 does not chain to event 2 (altered, removed or reordered)",
        firstBreak());
  }

  @Test
  void editedLastEvent_isDetectedByTheHead() throws Exception {
    AuditFixtures.write(store, 10, AuditFixtures.read(store, 10).toBuilder()
        .setOutcome(AuditEvent.DENIED).build());
    assertEquals("the head does not match event 10 (head rewritten?)", firstBreak());
  }

  @Test
  void deletedEvent_isDetected() {
    store.commit(new Changes().delete(Table.AUDIT, AuditKeys.sequenceKey(3)));
    assertEquals("event 3 is missing: expected event 3 but found 4 (removed?)", firstBreak());
  }

  @Test
  void reorderedEvents_areDetected() {
    byte[] v2 = store.get(Table.AUDIT, AuditKeys.sequenceKey(2)).orElseThrow();
    byte[] v3 = store.get(Table.AUDIT, AuditKeys.sequenceKey(3)).orElseThrow();
    store.commit(new Changes().put(Table.AUDIT, AuditKeys.sequenceKey(2), v3)
        .put(Table.AUDIT, AuditKeys.sequenceKey(3), v2));
    assertEquals("the record stored as event 2 says it is event 3 (reordered or moved)",
        firstBreak());
  }

  @Test
  void garbageEvent_isReportedUnreadable() {
    store.commit(new Changes().put(Table.AUDIT, AuditKeys.sequenceKey(6),
        new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
    assertEquals("event 6 is unreadable", firstBreak());
  }

  @Test
  void truncatedTail_isDetected() {
    store.commit(new Changes().delete(Table.AUDIT, AuditKeys.sequenceKey(10)));
    assertEquals("the head names event 10 but the chain ends at event 9 (events removed at "
        + "the end?)", firstBreak());
  }

  @Test
  void truncatedTailWithARewrittenHead_isCaughtByTheShutdownCheckpoint() {
    log.checkpoint();
    store.commit(new Changes().delete(Table.AUDIT, AuditKeys.sequenceKey(9))
        .delete(Table.AUDIT, AuditKeys.sequenceKey(10)));
    AuditFixtures.setHead(store, 8, AuditFixtures.hashOf(store, 8));
    assertEquals("a signed checkpoint names event 10 but the chain ends at event 8 (events "
        + "removed at the end)", firstBreak());
  }

  @Test
  void eventBeyondARewrittenHead_isDetected() {
    AuditFixtures.setHead(store, 9, AuditFixtures.hashOf(store, 9));
    assertEquals("event 10 is stored beyond the head (head rewritten?)", firstBreak());
  }

  @Test
  void rehashedChainWithARewrittenHead_isCaughtByTheCheckpointSignature() throws Exception {
    AuditFixtures.write(store, 6, AuditFixtures.read(store, 6).toBuilder()
        .setTarget("secrets/innocent").build());
    AuditFixtures.rehash(store, 7, 10);
    assertEquals("event 8 does not match its signed checkpoint (events up to 8 were altered "
        + "and re-hashed)", firstBreak());
  }

  @Test
  void rehashedChainWithItsCheckpointsDeleted_isCaughtByTheMissingCheckpoint()
      throws Exception {
    AuditFixtures.write(store, 6, AuditFixtures.read(store, 6).toBuilder()
        .setTarget("secrets/innocent").build());
    AuditFixtures.rehash(store, 7, 10);
    store.commit(new Changes().delete(Table.META, AuditKeys.checkpointKey(8)));
    assertEquals("events after 4 are not covered by a signed checkpoint, although one was due "
        + "within 4 events (checkpoints removed?)", firstBreak());
  }

  @Test
  void rehashedChainWithAResignedCheckpoint_isCaughtAsAForgery() throws Exception {
    AuditFixtures.write(store, 6, AuditFixtures.read(store, 6).toBuilder()
        .setTarget("secrets/innocent").build());
    AuditFixtures.rehash(store, 7, 10);
    CheckpointSigner attacker = AuditFixtures.signer(dir, "attacker");
    Checkpoint forged = Checkpoint.sign(8, AuditFixtures.hashOf(store, 8), 4, attacker);
    store.commit(new Changes().put(Table.META, AuditKeys.checkpointKey(8), forged.encode()));
    assertEquals("the checkpoint at event 8 has a bad signature (forged or altered)",
        firstBreak());
  }

  @Test
  void checkpointWithAFlippedSignatureBit_isAForgery() {
    byte[] stored = store.get(Table.META, AuditKeys.checkpointKey(4)).orElseThrow();
    stored[stored.length - 1] ^= 1;
    store.commit(new Changes().put(Table.META, AuditKeys.checkpointKey(4), stored));
    assertEquals("the checkpoint at event 4 has a bad signature (forged or altered)",
        firstBreak());
  }

  @Test
  void checkpointWithAWiderInterval_isAForgery() {
    Checkpoint real = Checkpoint.decode(4,
        store.get(Table.META, AuditKeys.checkpointKey(4)).orElseThrow());
    Checkpoint widened = new Checkpoint(4, real.hash(), 1000, real.signature());
    store.commit(new Changes().put(Table.META, AuditKeys.checkpointKey(4), widened.encode()));
    assertEquals("the checkpoint at event 4 has a bad signature (forged or altered)",
        firstBreak());
  }

  @Test
  void deletedMiddleCheckpoint_isDetected() {
    store.commit(new Changes().delete(Table.META, AuditKeys.checkpointKey(4)));
    assertEquals("no signed checkpoint between events 0 and 8, although one was due within 4 "
        + "events (checkpoints removed?)", firstBreak());
  }

  @Test
  void everyCheckpointDeleted_isDetected() {
    for (long s : new long[] {0, 4, 8}) {
      store.commit(new Changes().delete(Table.META, AuditKeys.checkpointKey(s)));
    }
    assertEquals("no signed checkpoint covers the chain (checkpoints removed?)", firstBreak());
  }

  @Test
  void aVerifierWithAnotherVaultsKey_rejectsTheCheckpoints() {
    AuditChainVerifier.Result r = new AuditChainVerifier(store,
        AuditFixtures.signer(dir, "other")).verify();
    assertEquals("the checkpoint at event 0 has a bad signature (forged or altered)",
        r.firstBreak().orElseThrow());
  }

  @Test
  void eventHiddenFromItsTenantIndex_isDetected() {
    store.commit(new Changes().delete(Table.INDEX, AuditKeys.indexKey("default", 5)));
    assertEquals("event 5 is missing from its tenant's index (hidden from queries)",
        firstBreak());
  }
}
