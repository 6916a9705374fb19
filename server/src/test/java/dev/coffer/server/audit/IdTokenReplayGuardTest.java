package dev.coffer.server.audit;

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
import dev.coffer.server.store.records.IdTokenReplayRepository;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ID token is exchanged once, even when two sign-ins (on two cluster nodes, whose sign-in
 * locks are their own) both found it unseen: the "seen" record is guarded on absence, so the
 * second batch fails at commit and writes nothing, its audit event included.
 */
class IdTokenReplayGuardTest {

  private static final Instant UNTIL = Instant.parse("2026-12-07T01:00:00Z");
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  @TempDir Path dir;
  private RocksKvStore store;
  private ChainedAuditLog log;
  private IdTokenReplayRepository replays;

  @BeforeEach
  void open() {
    store = RocksKvStore.open(dir.resolve("db"));
    log = new ChainedAuditLog(store, AuditFixtures.signer(dir, "root"), 50);
    replays = new IdTokenReplayRepository(store);
  }

  @AfterEach
  void close() {
    log.close();
    store.close();
  }

  private static AuditEvent signIn() {
    return AuditFixtures.event("acme", "alice", AuditAction.FEDERATED_LOGIN,
        "tenants/acme/principals/alice", T0);
  }

  @Test
  void twoSignInsStagedWithTheSameIdToken_onlyTheFirstCommits() {
    assertFalse(replays.seen("acme", "corp", "digest-1"));
    Changes first = new Changes();
    Changes second = new Changes();
    replays.stage(first, "acme", "corp", "digest-1", UNTIL);
    replays.stage(second, "acme", "corp", "digest-1", UNTIL);
    log.commit(first, signIn());
    CofferException e = assertThrows(CofferException.class, () -> log.commit(second, signIn()));
    assertEquals(Reason.CONCURRENT_CHANGE, e.reason());
    assertTrue(replays.seen("acme", "corp", "digest-1"));
    assertEquals(1, log.lastSequence(), "the refused sign-in left no event");
  }

  @Test
  void anotherToken_orTheSameDigestAtAnotherIssuer_isNotAReplay() {
    Changes one = new Changes();
    replays.stage(one, "acme", "corp", "digest-1", UNTIL);
    log.commit(one, signIn());
    Changes other = new Changes();
    replays.stage(other, "acme", "corp", "digest-2", UNTIL);
    replays.stage(other, "acme", "partner", "digest-1", UNTIL);
    log.commit(other, signIn());
    assertTrue(replays.seen("acme", "partner", "digest-1"));
  }
}
