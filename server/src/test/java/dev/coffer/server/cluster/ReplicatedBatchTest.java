package dev.coffer.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class ReplicatedBatchTest {

  /** A batch with every kind of item: both expectation forms, a put and a delete. */
  private static Changes sample() {
    return new Changes()
        .expect(Table.META, utf8("head"), utf8("h1"))
        .expect(Table.SECRETS, utf8("s/1"), null)
        .put(Table.SECRETS, utf8("s/1"), new byte[] {0, (byte) 0xFF, 7})
        .put(Table.AUDIT, new byte[0], new byte[0])
        .delete(Table.DATA_KEYS, utf8("k"));
  }

  @Test
  void roundTripKeepsEveryItemInOrder() {
    Changes decoded = ReplicatedBatch.decode(ReplicatedBatch.encode(sample()));
    Changes original = sample();
    assertEquals(original.expectations().size(), decoded.expectations().size());
    for (int i = 0; i < original.expectations().size(); i++) {
      Changes.Expectation want = original.expectations().get(i);
      Changes.Expectation got = decoded.expectations().get(i);
      assertEquals(want.table(), got.table());
      assertArrayEquals(want.key(), got.key());
      assertArrayEquals(want.value(), got.value());
    }
    assertNull(decoded.expectations().get(1).value(), "absence survives as null");
    assertEquals(original.size(), decoded.size());
    for (int i = 0; i < original.size(); i++) {
      Changes.Change want = original.list().get(i);
      Changes.Change got = decoded.list().get(i);
      assertEquals(want.table(), got.table());
      assertArrayEquals(want.key(), got.key());
      assertArrayEquals(want.value(), got.value());
      assertEquals(want.isDelete(), got.isDelete());
    }
  }

  @Test
  void emptyBatchRoundTrips() {
    byte[] bytes = ReplicatedBatch.encode(new Changes());
    assertEquals("010000000000000000", HexFormat.of().formatHex(bytes));
    Changes decoded = ReplicatedBatch.decode(bytes);
    assertFalse(decoded.hasExpectations());
    assertEquals(0, decoded.size());
  }

  /** The version-1 bytes of {@link #sample}, checked in: a change to the format fails here. */
  @Test
  void encodingEqualsTheCheckedInGoldenBytes() throws IOException {
    String golden;
    try (InputStream in = getClass().getResourceAsStream("replicated-batch-v1.hex")) {
      golden = new String(in.readAllBytes(), UTF_8).strip();
    }
    assertEquals(golden, HexFormat.of().formatHex(ReplicatedBatch.encode(sample())));
    // and the golden bytes still decode to the same batch
    assertArrayEquals(ReplicatedBatch.encode(sample()),
        ReplicatedBatch.encode(ReplicatedBatch.decode(HexFormat.of().parseHex(golden))));
  }

  @Test
  void everyTableHasItsOwnCodeThatDecodesBack() {
    Set<Byte> codes = new HashSet<>();
    for (Table table : Table.values()) {
      byte code = ReplicatedBatch.code(table);
      assertEquals(table, ReplicatedBatch.table(code));
      assertFalse(code == 0, "0 is never a table code");
      codes.add(code);
    }
    assertEquals(Table.values().length, codes.size(), "codes are distinct");
  }

  /** The codes are pinned, not derived from the enum's order. */
  @Test
  void tableCodesArePinned() {
    assertEquals(1, ReplicatedBatch.code(Table.META));
    assertEquals(7, ReplicatedBatch.code(Table.SECRETS));
    assertEquals(8, ReplicatedBatch.code(Table.DATA_KEYS));
    assertEquals(12, ReplicatedBatch.code(Table.AUDIT));
    assertEquals(13, ReplicatedBatch.code(Table.SCOPES));
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] bytes = ReplicatedBatch.encode(sample());
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertMalformed(cut);
    }
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] bytes = ReplicatedBatch.encode(sample());
    CofferException e = assertMalformed(Arrays.copyOf(bytes, bytes.length + 1));
    assertEquals("replicated_batch: 1 trailing bytes", e.getMessage());
  }

  @Test
  void badHeaderCodesAndLengthsAreRefused() {
    byte[] good = ReplicatedBatch.encode(sample());
    List<byte[]> bad = List.of(
        with(good, 0, (byte) 2),            // unknown format version
        with(good, 0, (byte) 0),
        with(good, 5, (byte) 0),            // table code 0
        with(good, 5, (byte) 99),           // unknown table code
        with(good, 1, (byte) 0x80),         // negative expectation count
        with(good, 6, (byte) 0x80),         // negative key length
        with(good, 14, (byte) 9));          // expectation presence neither 0 nor 1
    for (byte[] bytes : bad) {
      assertMalformed(bytes);
    }
    byte[] badOp = ReplicatedBatch.encode(new Changes().delete(Table.META, utf8("k")));
    badOp[9] = 3; // the operation byte of the only change
    assertEquals("replicated_batch: unknown change operation 3",
        assertMalformed(badOp).getMessage());
  }

  @Test
  void aProposalCarriesItsDeadlineAroundTheEntry_andOpensBackToBoth() {
    byte[] entry = ReplicatedBatch.encode(sample());
    Message proposal = ReplicatedBatch.proposal(entry, 1_700_000_000_123L);
    assertEquals(ReplicatedBatch.PROPOSAL_WITH_DEADLINE, proposal.getContent().byteAt(0));
    assertEquals("ReplicatedBatch(" + entry.length + " bytes)", proposal.toString());
    ReplicatedBatch.Proposal opened = ReplicatedBatch.openProposal(proposal.getContent());
    assertEquals(1_700_000_000_123L, opened.deadlineMillis());
    assertArrayEquals(entry, opened.entry().toByteArray());

    ReplicatedBatch.Proposal bare = ReplicatedBatch.openProposal(ByteString.copyFrom(entry));
    assertEquals(Long.MAX_VALUE, bare.deadlineMillis(), "a bare entry has no deadline");
    assertArrayEquals(entry, bare.entry().toByteArray());
    for (int cut = 1; cut < 9; cut++) {
      ByteString truncated = proposal.getContent().substring(0, cut);
      CofferException e = assertThrows(CofferException.class,
          () -> ReplicatedBatch.openProposal(truncated));
      assertEquals(Reason.INVALID_FIELD, e.reason());
    }
    assertMalformed(proposal.getContent().toByteArray()); // never an entry itself
  }

  @Test
  void messagesNeverHoldKeyOrValueBytes() {
    byte[] bytes = ReplicatedBatch.encode(new Changes()
        .put(Table.SECRETS, utf8("visible-key"), utf8("sealed-value")));
    for (int length = 0; length < bytes.length; length++) {
      String message = assertMalformed(Arrays.copyOf(bytes, length)).getMessage();
      assertFalse(message.contains("visible") || message.contains("sealed"), message);
    }
  }

  @Test
  void anEntryWithEvents_isVersion2_andKeepsItsChangesAndEventsInOrder() {
    List<byte[]> events = List.of(utf8("first event"), utf8("second"));
    byte[] bytes = ReplicatedBatch.encode(sample(), events);
    assertEquals(ReplicatedBatch.FORMAT_VERSION_WITH_EVENTS, bytes[0]);
    ReplicatedBatch.Entry entry = ReplicatedBatch.decodeEntry(bytes);
    assertEquals(sample().list().size(), entry.changes().list().size());
    assertEquals(2, entry.events().size());
    assertArrayEquals(utf8("first event"), entry.events().get(0));
    assertArrayEquals(utf8("second"), entry.events().get(1));
    assertTrue(entry.purge().isEmpty());
    assertEquals(ReplicatedBatch.FORMAT_VERSION, ReplicatedBatch.encode(sample(), List.of())[0],
        "no events: the version 1 bytes, unchanged");
    for (int cut = 1; cut < bytes.length; cut++) {
      assertMalformed(Arrays.copyOf(bytes, cut));
    }
  }

  @Test
  void aVersion2EntryWithoutEvents_isRefused() {
    byte[] v1 = ReplicatedBatch.encode(new Changes());
    byte[] bytes = Arrays.copyOf(v1, v1.length + 4); // an event count of 0
    bytes[0] = ReplicatedBatch.FORMAT_VERSION_WITH_EVENTS;
    assertMalformed(bytes);
  }

  @Test
  void aPurge_isVersion3_roundTrips_andIsStrict() {
    byte[] bytes = ReplicatedBatch.encodePurge(Table.DATA_KEYS, utf8("a"), utf8("b"));
    assertEquals(ReplicatedBatch.FORMAT_VERSION_PURGE, bytes[0]);
    ReplicatedBatch.Purge purge = ReplicatedBatch.decodeEntry(bytes).purge().orElseThrow();
    assertEquals(Table.DATA_KEYS, purge.table());
    assertArrayEquals(utf8("a"), purge.from());
    assertArrayEquals(utf8("b"), purge.toExclusive());
    assertTrue(ReplicatedBatch.decodeEntry(bytes).changes().list().isEmpty());
    for (int cut = 1; cut < bytes.length; cut++) {
      assertMalformed(Arrays.copyOf(bytes, cut));
    }
    assertMalformed(Arrays.copyOf(bytes, bytes.length + 1));
  }

  @Test
  void notices_areVersion4_withPinnedBytes_roundTripInOrder_andAreStrict() {
    byte[] bytes = ReplicatedBatch.encodeNotices(List.of(new byte[] {1, 2}, new byte[0]));
    assertArrayEquals(new byte[] {4, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 0, 0, 0, 0}, bytes);
    ReplicatedBatch.Entry entry = ReplicatedBatch.decodeEntry(bytes);
    assertEquals(2, entry.notices().size());
    assertArrayEquals(new byte[] {1, 2}, entry.notices().get(0));
    assertArrayEquals(new byte[0], entry.notices().get(1));
    assertTrue(entry.changes().list().isEmpty());
    assertTrue(entry.events().isEmpty());
    assertTrue(entry.purge().isEmpty());
    assertEquals("Entry(0 changes, 0 events, 2 notices)", entry.toString());
    for (int cut = 1; cut < bytes.length; cut++) {
      assertMalformed(Arrays.copyOf(bytes, cut));
    }
    assertMalformed(Arrays.copyOf(bytes, bytes.length + 1));
    assertMalformed(new byte[] {4, 0, 0, 0, 0}); // no notice
    assertThrows(IllegalArgumentException.class, () -> ReplicatedBatch.encodeNotices(List.of()));
    assertTrue(ReplicatedBatch.decodeEntry(ReplicatedBatch.encode(sample())).notices().isEmpty());
  }

  private static CofferException assertMalformed(byte[] bytes) {
    CofferException e = assertThrows(CofferException.class, () -> ReplicatedBatch.decode(bytes));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals(ReplicatedBatch.FIELD, e.violations().get(0).field());
    return e;
  }

  private static byte[] with(byte[] bytes, int at, byte value) {
    byte[] copy = bytes.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }
}
