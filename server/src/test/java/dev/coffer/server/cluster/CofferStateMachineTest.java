package dev.coffer.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.store.Changes;
import dev.coffer.server.store.SwappableRocksStore;
import dev.coffer.server.store.Table;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine driven entry by entry on a real RocksDB, without a Raft server. */
class CofferStateMachineTest {

  @TempDir Path dir;
  private SwappableRocksStore store;
  private CofferStateMachine machine;

  @BeforeEach
  void open() {
    store = SwappableRocksStore.open(dir);
    machine = new CofferStateMachine(store, store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void appliesTheChangesAndTheAppliedIndexInOneBatch() {
    store.commit(new Changes().put(Table.SECRETS, utf8("gone"), utf8("v0")));
    long before = store.latestSequenceNumber();
    ApplyOutcome outcome = apply(3, 7, new Changes()
        .expect(Table.SECRETS, utf8("s"), null)
        .put(Table.SECRETS, utf8("s"), utf8("v1"))
        .delete(Table.SECRETS, utf8("gone")));
    assertEquals(ApplyOutcome.APPLIED, outcome);
    assertArrayEquals(utf8("v1"), store.get(Table.SECRETS, utf8("s")).orElseThrow());
    assertTrue(store.get(Table.SECRETS, utf8("gone")).isEmpty());
    assertEquals(Optional.of(TermIndex.valueOf(3, 7)),
        CofferStateMachine.storedAppliedTermIndex(store));
    assertEquals(TermIndex.valueOf(3, 7), machine.getLastAppliedTermIndex());
    // one RocksDB write batch: the two changes and the applied index, nothing else
    assertEquals(before + 3, store.latestSequenceNumber());
  }

  @Test
  void aFailedExpectationChangesNothingButTheAppliedIndexAndIsNamed() {
    store.commit(new Changes().put(Table.META, utf8("head"), utf8("h2")));
    long before = store.latestSequenceNumber();
    ApplyOutcome outcome = apply(1, 1, new Changes()
        .expect(Table.SECRETS, utf8("s"), null)
        .expect(Table.META, utf8("head"), utf8("h1"))
        .put(Table.SECRETS, utf8("s"), utf8("v1")));
    assertEquals(ApplyOutcome.expectationFailed(1, Table.META), outcome);
    assertTrue(store.get(Table.SECRETS, utf8("s")).isEmpty());
    assertEquals(before + 1, store.latestSequenceNumber(), "only the applied index");
    assertEquals(Optional.of(TermIndex.valueOf(1, 1)),
        CofferStateMachine.storedAppliedTermIndex(store));
  }

  @Test
  void anExpectationOfAbsenceFailsOnAPresentKeyAndAValueMustMatchExactly() {
    store.commit(new Changes().put(Table.GRANTS, utf8("g"), utf8("abc")));
    assertEquals(ApplyOutcome.expectationFailed(0, Table.GRANTS),
        apply(1, 1, grantIf(null)));
    assertEquals(ApplyOutcome.expectationFailed(0, Table.GRANTS),
        apply(1, 2, grantIf(utf8("ab"))));
    assertEquals(ApplyOutcome.APPLIED, apply(1, 3, grantIf(utf8("abc"))));
    assertArrayEquals(utf8("1"), store.get(Table.GRANTS, utf8("x")).orElseThrow());
  }

  @Test
  void aMalformedEntryIsRejectedAndChangesNothingButTheAppliedIndex() {
    long before = store.latestSequenceNumber();
    byte[] bytes = ReplicatedBatch.encode(new Changes().put(Table.SECRETS, utf8("s"), utf8("v")));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);
    assertEquals(ApplyOutcome.REJECTED, applyBytes(2, 4, truncated));
    assertEquals(before + 1, store.latestSequenceNumber());
    assertTrue(store.get(Table.SECRETS, utf8("s")).isEmpty());
  }

  @Test
  void anEntryThatWritesTheReservedAppliedKeyIsRejected() {
    ApplyOutcome outcome = apply(5, 9, new Changes()
        .put(Table.META, CofferStateMachine.APPLIED_KEY, CofferStateMachine.encodeTermIndex(
            TermIndex.valueOf(99, 999)))
        .put(Table.SECRETS, utf8("s"), utf8("v")));
    assertEquals(ApplyOutcome.REJECTED, outcome);
    assertEquals(Optional.of(TermIndex.valueOf(5, 9)),
        CofferStateMachine.storedAppliedTermIndex(store));
    assertTrue(store.get(Table.SECRETS, utf8("s")).isEmpty());
  }

  @Test
  void aRestartRestoresTheAppliedIndexFromTheStoreAndSkipsReplayedEntries() throws Exception {
    Changes first = new Changes().expect(Table.SECRETS, utf8("x"), null)
        .put(Table.SECRETS, utf8("x"), utf8("1"));
    Changes second = new Changes().delete(Table.SECRETS, utf8("x"));
    assertEquals(ApplyOutcome.APPLIED, apply(1, 1, first));
    assertEquals(ApplyOutcome.APPLIED, apply(1, 2, second));
    store.close();

    store = SwappableRocksStore.open(dir);
    machine = new CofferStateMachine(store, store);
    machine.reinitialize();
    assertEquals(TermIndex.valueOf(1, 2), machine.getLastAppliedTermIndex());
    long before = store.latestSequenceNumber();
    // Ratis replays its log from the start: the first entry would apply again (x is absent)
    Message reply = applyEntry(1, 1, ReplicatedBatch.encode(first));
    assertSame(Message.EMPTY, reply);
    assertEquals(before, store.latestSequenceNumber(), "a replayed entry writes nothing");
    assertTrue(store.get(Table.SECRETS, utf8("x")).isEmpty());
    // and the next new entry applies
    assertEquals(ApplyOutcome.APPLIED, apply(2, 3, first));
    assertEquals(TermIndex.valueOf(2, 3), machine.getLastAppliedTermIndex());
  }

  @Test
  void configurationEntriesBelowTheRestoredIndexAreIgnored() throws Exception {
    apply(2, 5, new Changes().put(Table.SECRETS, utf8("x"), utf8("1")));
    machine.notifyTermIndexUpdated(1, 0); // a replayed configuration entry
    assertEquals(TermIndex.valueOf(2, 5), machine.getLastAppliedTermIndex());
    machine.notifyTermIndexUpdated(2, 6);
    assertEquals(TermIndex.valueOf(2, 6), machine.getLastAppliedTermIndex());
  }

  private static Changes grantIf(byte[] current) {
    return new Changes().expect(Table.GRANTS, utf8("g"), current)
        .put(Table.GRANTS, utf8("x"), utf8("1"));
  }

  private ApplyOutcome apply(long term, long index, Changes changes) {
    return applyBytes(term, index, ReplicatedBatch.encode(changes));
  }

  private ApplyOutcome applyBytes(long term, long index, byte[] bytes) {
    return ApplyOutcome.decode(applyEntry(term, index, bytes).getContent().toByteArray());
  }

  private Message applyEntry(long term, long index, byte[] bytes) {
    LogEntryProto entry = LogEntryProto.newBuilder().setTerm(term).setIndex(index)
        .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
            .setLogData(ByteString.copyFrom(bytes)))
        .build();
    TransactionContext trx = TransactionContext.newBuilder().setServerRole(RaftPeerRole.FOLLOWER)
        .setStateMachine(machine).setLogEntry(entry).build();
    return machine.applyTransaction(trx).join();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }
}
