package dev.coffer.server.cluster;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The one binary encoding of a {@link Changes} (its expectations, then its puts and deletes,
 * each in order) as the payload of one Raft log entry.
 *
 * <p>Contract: {@link #encode} is deterministic (the same changes give the same bytes, on
 * every JVM) and {@link #decode} gives back changes that commit and check exactly as the
 * encoded ones. Tables are written as explicit one-byte codes ({@link #code}), never as
 * {@code ordinal()}, so reordering or adding {@link Table} constants never changes the meaning
 * of a stored entry. Layout, all integers big-endian:
 *
 * <pre>
 * u8  format version (1)
 * i32 expectation count, then per expectation:
 *     u8 table code, i32 key length, key, u8 0 (must be absent) | 1 (must hold:
 *     i32 value length, value)
 * i32 change count, then per change:
 *     u8 1 (put: table code, i32 key length, key, i32 value length, value)
 *      | 2 (delete: table code, i32 key length, key)
 * </pre>
 *
 * <p>Version 2 is version 1 followed by {@code i32 event count, then per event: i32 length,
 * an unchained audit record} (a serialized {@code AuditRec} without sequence or previous
 * hash): the events the replicas chain, in order, when they apply the entry.
 *
 * <p>Version 3 is a purge alone: {@code u8 3, u8 table code, i32 length, from, i32 length,
 * to (exclusive)}; every replica applying it purges that range of its own files
 * ({@link dev.coffer.server.store.KvStore#purge}).
 *
 * <p>Version 4 is lifecycle notices alone: {@code u8 4, i32 count (at least 1), then per
 * notice: i32 length, notice} (a notice's own layout is its codec's); every replica applying
 * it hands the notices, in order, to its watchers. It changes no record.
 *
 * <p>A node proposes an entry inside an envelope that also says until when a leader may take
 * it ({@link #proposal}): {@code u8 16, i64 deadline (epoch milliseconds), entry}. The
 * leader opens it before appending ({@link #openProposal}), refuses it once the deadline has
 * passed, and appends the entry alone: the envelope is never in the log.
 *
 * <p>{@link #decode} is strict: an unknown version, table code or operation, a negative count
 * or length, truncated or trailing bytes are refused with an INVALID_ARGUMENT naming
 * {@value #FIELD}, and nothing is half-decoded.
 *
 * <p>Security: values are sealed before they reach a {@code Changes} but may still be key
 * material (wrapped data keys); no key or value byte ever appears in an exception message.
 */
public final class ReplicatedBatch {

  /** The version of an entry without audit events; a decoder refuses any version but these. */
  public static final byte FORMAT_VERSION = 1;
  /** The version of an entry that also carries audit events to chain at apply. */
  public static final byte FORMAT_VERSION_WITH_EVENTS = 2;
  /** The version of an entry that purges a key range on every replica (crypto-shredding). */
  public static final byte FORMAT_VERSION_PURGE = 3;
  /** The version of an entry that carries lifecycle notices for every replica's watchers. */
  public static final byte FORMAT_VERSION_NOTICES = 4;
  /** The first byte of a proposal envelope (see the layout); never the first byte of an entry. */
  public static final byte PROPOSAL_WITH_DEADLINE = 16;
  /** The field an INVALID_ARGUMENT from {@link #decode} names. */
  public static final String FIELD = "replicated_batch";

  private static final int PROPOSAL_HEADER = 1 + Long.BYTES;
  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;
  private static final byte PUT = 1;
  private static final byte DELETE = 2;

  private ReplicatedBatch() {}

  /**
   * The on-disk code of {@code table}. Fixed forever: a new table takes a new code, a removed
   * table's code is never reused. The switch has no default, so a new constant without a
   * code does not compile.
   */
  public static byte code(Table table) {
    return switch (table) {
      case META -> 1;
      case TENANTS -> 2;
      case PRINCIPALS -> 3;
      case TOKENS -> 4;
      case LOCATIONS -> 5;
      case APPLICATIONS -> 6;
      case SECRETS -> 7;
      case DATA_KEYS -> 8;
      case GRANTS -> 9;
      case ACCESS_REQUESTS -> 10;
      case INDEX -> 11;
      case AUDIT -> 12;
      case SCOPES -> 13;
    };
  }

  /** The table whose {@link #code} is {@code code}; INVALID_ARGUMENT if none. */
  public static Table table(byte code) {
    for (Table table : Table.values()) {
      if (code(table) == code) {
        return table;
      }
    }
    throw malformed("unknown table code " + (code & 0xFF));
  }

  /** The entry bytes of {@code changes}: version, expectations, changes (see the layout). */
  public static byte[] encode(Changes changes) {
    return encode(changes, List.of());
  }

  /**
   * The entry bytes of {@code changes} and the unchained audit records {@code events}:
   * version 1 when there are none, else version 2 (see the layout).
   */
  public static byte[] encode(Changes changes, List<byte[]> events) {
    Objects.requireNonNull(changes, "changes");
    ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(changes)
        + events.stream().mapToInt(e -> e.length + 4).sum() + 4);
    out.write(events.isEmpty() ? FORMAT_VERSION : FORMAT_VERSION_WITH_EVENTS);
    writeInt(out, changes.expectations().size());
    for (Changes.Expectation e : changes.expectations()) {
      out.write(code(e.table()));
      writeBytes(out, e.key());
      if (e.value() == null) {
        out.write(ABSENT);
      } else {
        out.write(PRESENT);
        writeBytes(out, e.value());
      }
    }
    writeInt(out, changes.list().size());
    for (Changes.Change c : changes.list()) {
      out.write(c.isDelete() ? DELETE : PUT);
      out.write(code(c.table()));
      writeBytes(out, c.key());
      if (!c.isDelete()) {
        writeBytes(out, c.value());
      }
    }
    if (!events.isEmpty()) {
      writeInt(out, events.size());
      for (byte[] event : events) {
        writeBytes(out, event);
      }
    }
    return out.toByteArray();
  }

  /**
   * {@code changes} encoded as the message a Raft client proposes. Its {@code toString}
   * (which Ratis puts in request descriptions, logs and retry-failure messages) names only
   * the size, never the bytes.
   */
  public static Message message(Changes changes) {
    return message(encode(changes));
  }

  /**
   * Entry bytes as a proposable message that prints only its size (see above), without a
   * deadline envelope: the form a node of an earlier release proposes, which a leader still
   * takes, with no deadline ({@link #openProposal}). Nodes of this release use
   * {@link #proposal}.
   */
  public static Message message(byte[] entry) {
    int size = entry.length;
    return Message.valueOf(ByteString.copyFrom(entry), () -> describe(size));
  }

  /**
   * Entry bytes as the message a node proposes, which a leader takes only until
   * {@code deadlineMillis} (epoch milliseconds). Prints its entry's size only.
   */
  public static Message proposal(byte[] entry, long deadlineMillis) {
    ByteBuffer envelope = ByteBuffer.allocate(PROPOSAL_HEADER + entry.length);
    envelope.put(PROPOSAL_WITH_DEADLINE).putLong(deadlineMillis).put(entry);
    int size = entry.length;
    return Message.valueOf(ByteString.copyFrom(envelope.array()), () -> describe(size));
  }

  /** What a leader takes from a proposal: the entry to append, and until when to take it. */
  public record Proposal(ByteString entry, long deadlineMillis) {}

  /**
   * Opens a proposed message: an envelope gives its entry and deadline; bare entry bytes
   * give themselves, with no deadline ({@link Long#MAX_VALUE}). The entry itself is not
   * decoded here. A truncated envelope is refused with an INVALID_ARGUMENT naming
   * {@value #FIELD}.
   */
  public static Proposal openProposal(ByteString content) {
    if (content.isEmpty() || content.byteAt(0) != PROPOSAL_WITH_DEADLINE) {
      return new Proposal(content, Long.MAX_VALUE);
    }
    if (content.size() < PROPOSAL_HEADER) {
      throw malformed("truncated proposal deadline");
    }
    long deadline = content.substring(1, PROPOSAL_HEADER).asReadOnlyByteBuffer().getLong();
    return new Proposal(content.substring(PROPOSAL_HEADER), deadline);
  }

  /** How an entry of {@code size} bytes is shown in logs and messages. */
  static String describe(int size) {
    return "ReplicatedBatch(" + size + " bytes)";
  }

  /**
   * The changes {@code bytes} encode, with every expectation and change in its encoded
   * order.
   *
   * @throws CofferException INVALID_ARGUMENT naming {@value #FIELD} for anything but the
   *     exact bytes {@link #encode} writes
   */
  public static Changes decode(byte[] bytes) {
    return decodeEntry(bytes).changes();
  }

  /**
   * A decoded entry: its changes, the unchained audit records to chain at apply, a purge, and
   * lifecycle notices for every replica's watchers.
   */
  public record Entry(Changes changes, List<byte[]> events, Optional<Purge> purge,
      List<byte[]> notices) {
    @Override
    public String toString() {
      return "Entry(" + changes.list().size() + " changes, " + events.size() + " events"
          + (purge.isPresent() ? ", a purge" : "")
          + (notices.isEmpty() ? "" : ", " + notices.size() + " notices") + ")";
    }
  }

  /** The entry bytes of lifecycle notices (at least one), each already encoded. */
  public static byte[] encodeNotices(List<byte[]> notices) {
    if (notices.isEmpty()) {
      throw new IllegalArgumentException("an entry of notices needs at least one");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        5 + notices.stream().mapToInt(n -> n.length + 4).sum());
    out.write(FORMAT_VERSION_NOTICES);
    writeInt(out, notices.size());
    for (byte[] notice : notices) {
      writeBytes(out, notice);
    }
    return out.toByteArray();
  }

  /** A key range every replica purges from its files: {@code [from, toExclusive)}. */
  public record Purge(Table table, byte[] from, byte[] toExclusive) {
    @Override
    public String toString() {
      return "Purge(" + table + ")";
    }
  }

  /** The entry bytes of a purge of {@code [from, toExclusive)} in {@code table}. */
  public static byte[] encodePurge(Table table, byte[] from, byte[] toExclusive) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(from.length + toExclusive.length + 10);
    out.write(FORMAT_VERSION_PURGE);
    out.write(code(table));
    writeBytes(out, from);
    writeBytes(out, toExclusive);
    return out.toByteArray();
  }

  /**
   * The changes and events {@code bytes} encode, in their encoded order.
   *
   * @throws CofferException INVALID_ARGUMENT naming {@value #FIELD} for anything but the
   *     exact bytes {@link #encode} writes
   */
  public static Entry decodeEntry(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer in = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    byte version = readByte(in, "format version");
    if (version == FORMAT_VERSION_PURGE) {
      Purge purge = new Purge(table(readByte(in, "purge table")), readBytes(in, "purge from"),
          readBytes(in, "purge to"));
      if (in.hasRemaining()) {
        throw malformed(in.remaining() + " trailing bytes");
      }
      return new Entry(new Changes(), List.of(), Optional.of(purge), List.of());
    }
    if (version == FORMAT_VERSION_NOTICES) {
      int count = readCount(in, "notice count");
      if (count == 0) {
        throw malformed("a version 4 entry without notices");
      }
      List<byte[]> notices = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        notices.add(readBytes(in, "notice"));
      }
      if (in.hasRemaining()) {
        throw malformed(in.remaining() + " trailing bytes");
      }
      return new Entry(new Changes(), List.of(), Optional.empty(), List.copyOf(notices));
    }
    if (version != FORMAT_VERSION && version != FORMAT_VERSION_WITH_EVENTS) {
      throw malformed("unsupported format version " + (version & 0xFF));
    }
    Changes changes = new Changes();
    int expectations = readCount(in, "expectation count");
    for (int i = 0; i < expectations; i++) {
      Table table = table(readByte(in, "expectation table"));
      byte[] key = readBytes(in, "expectation key");
      byte presence = readByte(in, "expectation presence");
      if (presence == ABSENT) {
        changes.expect(table, key, null);
      } else if (presence == PRESENT) {
        changes.expect(table, key, readBytes(in, "expectation value"));
      } else {
        throw malformed("unknown expectation presence " + (presence & 0xFF));
      }
    }
    int count = readCount(in, "change count");
    for (int i = 0; i < count; i++) {
      byte op = readByte(in, "change operation");
      if (op != PUT && op != DELETE) {
        throw malformed("unknown change operation " + (op & 0xFF));
      }
      Table table = table(readByte(in, "change table"));
      byte[] key = readBytes(in, "change key");
      if (op == PUT) {
        changes.put(table, key, readBytes(in, "change value"));
      } else {
        changes.delete(table, key);
      }
    }
    List<byte[]> events = new ArrayList<>();
    if (version == FORMAT_VERSION_WITH_EVENTS) {
      int eventCount = readCount(in, "event count");
      if (eventCount == 0) {
        throw malformed("a version 2 entry without events");
      }
      for (int i = 0; i < eventCount; i++) {
        events.add(readBytes(in, "event"));
      }
    }
    if (in.hasRemaining()) {
      throw malformed(in.remaining() + " trailing bytes");
    }
    return new Entry(changes, List.copyOf(events), Optional.empty(), List.of());
  }

  private static int estimate(Changes changes) {
    long size = 9;
    for (Changes.Expectation e : changes.expectations()) {
      size += 10L + e.key().length + (e.value() == null ? 0 : e.value().length);
    }
    for (Changes.Change c : changes.list()) {
      size += 10L + c.key().length + (c.isDelete() ? 0 : c.value().length);
    }
    return (int) Math.min(size, 1 << 20);
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
    writeInt(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static byte readByte(ByteBuffer in, String what) {
    if (!in.hasRemaining()) {
      throw malformed("truncated at " + what);
    }
    return in.get();
  }

  private static int readInt(ByteBuffer in, String what) {
    if (in.remaining() < Integer.BYTES) {
      throw malformed("truncated at " + what);
    }
    return in.getInt();
  }

  /** A count of items, each at least one byte long: more than the bytes left is truncation. */
  private static int readCount(ByteBuffer in, String what) {
    int count = readInt(in, what);
    if (count < 0) {
      throw malformed("negative " + what);
    }
    if (count > in.remaining()) {
      throw malformed("truncated: " + what + " exceeds the bytes left");
    }
    return count;
  }

  private static byte[] readBytes(ByteBuffer in, String what) {
    int length = readInt(in, what + " length");
    if (length < 0) {
      throw malformed("negative " + what + " length");
    }
    if (length > in.remaining()) {
      throw malformed("truncated at " + what);
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static CofferException malformed(String description) {
    return CofferException.invalid(FIELD, description);
  }
}
