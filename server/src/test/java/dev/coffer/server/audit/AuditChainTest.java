package dev.coffer.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditChainTest {

  @TempDir Path dir;
  RocksKvStore store;
  ChainedAuditLog log;

  @BeforeEach
  void setUp() {
    store = RocksKvStore.open(dir);
    log = new ChainedAuditLog(store);
    for (int i = 0; i < 10; i++) {
      log.commit(new Changes().put(Table.SECRETS, ("k" + i).getBytes(StandardCharsets.UTF_8),
          new byte[] {1}), event("secrets/s" + i));
    }
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static AuditEvent event(String target) {
    return new AuditEvent(Instant.parse("2026-11-23T10:00:00Z"), "default", "alice",
        AuditAction.SECRET_CREATE, target, AuditEvent.ALLOWED, "", "req", "peer");
  }

  @Test
  void intactChain_verifies() {
    AuditChainVerifier.Result r = new AuditChainVerifier(store).verify();
    assertTrue(r.intact(), r.firstBreak().orElse(""));
    assertEquals(10, r.eventsChecked());
  }

  @Test
  void changeAndEvent_commitTogether() {
    assertTrue(store.get(Table.SECRETS, "k9".getBytes(StandardCharsets.UTF_8)).isPresent());
    assertEquals(10, log.lastSequence());
  }

  @Test
  void reopenedLog_continuesTheChain() {
    ChainedAuditLog reopened = new ChainedAuditLog(store);
    reopened.record(event("secrets/after"));
    assertEquals(11, reopened.lastSequence());
    assertTrue(new AuditChainVerifier(store).verify().intact());
  }

  @Test
  void editedEvent_isDetected() throws Exception {
    byte[] key = ChainedAuditLog.sequenceKey(4);
    var rec = dev.coffer.server.store.records.pb.AuditRec.parseFrom(
        store.get(Table.AUDIT, key).orElseThrow());
    store.commit(new Changes().put(Table.AUDIT, key,
        rec.toBuilder().setActor("mallory").build().toByteArray()));
    AuditChainVerifier.Result r = new AuditChainVerifier(store).verify();
    assertFalse(r.intact());
    assertTrue(r.firstBreak().get().contains("event 5"), r.firstBreak().get());
  }

  @Test
  void deletedEvent_isDetected() {
    store.commit(new Changes().delete(Table.AUDIT, ChainedAuditLog.sequenceKey(3)));
    AuditChainVerifier.Result r = new AuditChainVerifier(store).verify();
    assertFalse(r.intact());
    assertTrue(r.firstBreak().get().contains("expected event 3"), r.firstBreak().get());
  }

  @Test
  void reorderedEvents_areDetected() {
    byte[] k2 = ChainedAuditLog.sequenceKey(2);
    byte[] k3 = ChainedAuditLog.sequenceKey(3);
    byte[] v2 = store.get(Table.AUDIT, k2).orElseThrow();
    byte[] v3 = store.get(Table.AUDIT, k3).orElseThrow();
    store.commit(new Changes().put(Table.AUDIT, k2, v3).put(Table.AUDIT, k3, v2));
    assertFalse(new AuditChainVerifier(store).verify().intact());
  }

  @Test
  void truncatedTail_isDetected() {
    store.commit(new Changes().delete(Table.AUDIT, ChainedAuditLog.sequenceKey(10)));
    AuditChainVerifier.Result r = new AuditChainVerifier(store).verify();
    assertFalse(r.intact());
    assertTrue(r.firstBreak().get().contains("head"), r.firstBreak().get());
  }
}
