package dev.coffer.server.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditHead;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Walks the audit chain from the first event to the head read at the start, with its
 * signed checkpoints, and reports the first break in sequence order:
 * <ul>
 *   <li>an unreadable, missing, moved or reordered event, or one whose previous-hash does
 *       not match (an edit, a deletion, a reordering);
 *   <li>an event missing from its tenant's index (hidden from queries);
 *   <li>a checkpoint with a bad signature (forged), or whose hash differs from the chain at
 *       its sequence (events altered and every later hash recomputed);
 *   <li>a gap between checkpoints, or between the newest checkpoint and the head, wider
 *       than the interval the earlier checkpoint promised (checkpoints removed);
 *   <li>a head that does not match the last event, a checkpoint or event beyond the head
 *       (the tail cut off and the head rewritten).
 * </ul>
 *
 * <p>Limits: the newest events after the last checkpoint (fewer than one interval) are
 * protected by the hash chain only; and cutting the chain back to an older checkpoint
 * while also deleting every later checkpoint and rewriting the head cannot be told apart
 * from a shorter trail without an outside copy of a newer checkpoint (an export to a SIEM
 * is one). Events appended while the walk runs are not checked. Reads only.
 */
public final class AuditChainVerifier {

  /** Result of a walk; {@code firstBreak} is empty when the chain is intact. */
  public record Result(long eventsChecked, long checkpointsChecked,
      Optional<String> firstBreak) {
    public boolean intact() {
      return firstBreak.isEmpty();
    }
  }

  private static final int PAGE = 1000;

  private final KvStore store;
  private final CheckpointSigner signer;

  public AuditChainVerifier(KvStore store, CheckpointSigner signer) {
    this.store = store;
    this.signer = signer;
  }

  public Result verify() {
    return new Walk().run();
  }

  /** The first break found; ends the walk. */
  private static final class Break extends Exception {
    private static final long serialVersionUID = 1L;

    Break(String message) {
      super(message, null, false, false);
    }
  }

  /** One verification's state: position, running hash and the last checkpoint seen. */
  private final class Walk {
    private final Checkpoints checkpoints = new Checkpoints();
    private byte[] hash = new byte[ChainedAuditLog.HASH_BYTES];
    private long checked;
    private long checkpointsChecked;
    private Checkpoint previous;

    Result run() {
      try {
        AuditHead head = readHead();
        long end = head.getSequence();
        checkpointsAt(0);
        walkEvents(end);
        if (end > 0 && !Arrays.equals(head.getHash().toByteArray(), hash)) {
          throw new Break("the head does not match event " + end + " (head rewritten?)");
        }
        checkBeyond(end);
        checkTail(end);
        return new Result(checked, checkpointsChecked, Optional.empty());
      } catch (Break b) {
        return new Result(checked, checkpointsChecked, Optional.of(b.getMessage()));
      }
    }

    private void walkEvents(long end) throws Break {
      byte[] after = null;
      long expected = 1;
      while (expected <= end) {
        int want = (int) Math.min(PAGE, end - expected + 1);
        List<KeyValue> page = store.scan(Table.AUDIT, new byte[0], after, want);
        if (page.isEmpty()) {
          throw new Break("the head names event " + end + " but the chain ends at event "
              + (expected - 1) + " (events removed at the end?)");
        }
        for (KeyValue kv : page) {
          checkEvent(kv, expected);
          expected++;
          after = kv.key();
        }
      }
    }

    private void checkEvent(KeyValue kv, long expected) throws Break {
      if (kv.key().length != Long.BYTES) {
        throw new Break("a record with a malformed key sits after event " + (expected - 1));
      }
      long keySeq = ByteBuffer.wrap(kv.key()).getLong();
      if (keySeq != expected) {
        throw new Break("event " + expected + " is missing: expected event " + expected
            + " but found " + keySeq + " (removed?)");
      }
      AuditRec rec;
      try {
        rec = AuditRec.parseFrom(kv.value());
      } catch (InvalidProtocolBufferException e) {
        throw new Break("event " + expected + " is unreadable");
      }
      if (rec.getSequence() != expected) {
        throw new Break("the record stored as event " + expected + " says it is event "
            + rec.getSequence() + " (reordered or moved)");
      }
      if (!Arrays.equals(rec.getPreviousHash().toByteArray(), hash)) {
        throw new Break("event " + expected + " does not chain to event " + (expected - 1)
            + " (altered, removed or reordered)");
      }
      hash = ChainedAuditLog.sha256(kv.value());
      checked = expected;
      if (store.get(Table.INDEX, AuditKeys.indexKey(rec.getTenantId(), expected)).isEmpty()) {
        throw new Break("event " + expected + " is missing from its tenant's index (hidden "
            + "from queries)");
      }
      checkpointsAt(expected);
    }

    /** Checks every checkpoint at {@code sequence} against the chain hash there. */
    private void checkpointsAt(long sequence) throws Break {
      for (Checkpoint c = checkpoints.peek(); c != null && c.sequence() <= sequence;
          c = checkpoints.peek()) {
        checkpoints.poll();
        if (c.interval() < 1 || !c.signatureValid(signer)) {
          throw new Break("the checkpoint at event " + c.sequence()
              + " has a bad signature (forged or altered)");
        }
        if (c.sequence() != sequence || !c.matches(hash)) {
          throw new Break("event " + c.sequence() + " does not match its signed checkpoint "
              + "(events up to " + c.sequence() + " were altered and re-hashed)");
        }
        if (previous != null && c.sequence() - previous.sequence() > previous.interval()) {
          throw new Break("no signed checkpoint between events " + previous.sequence()
              + " and " + c.sequence() + ", although one was due within "
              + previous.interval() + " events (checkpoints removed?)");
        }
        previous = c;
        checkpointsChecked++;
      }
    }

    /** A signed checkpoint or an event past the head means the tail was cut off. */
    private void checkBeyond(long end) throws Break {
      Checkpoint c = checkpoints.peek();
      if (c != null) {
        if (c.interval() < 1 || !c.signatureValid(signer)) {
          throw new Break("the checkpoint at event " + c.sequence()
              + " has a bad signature (forged or altered)");
        }
        if (store.get(Table.AUDIT, AuditKeys.sequenceKey(c.sequence())).isEmpty()) {
          throw new Break("a signed checkpoint names event " + c.sequence()
              + " but the chain ends at event " + end + " (events removed at the end)");
        }
      }
      boolean eventsBeyond = !store.scan(Table.AUDIT, new byte[0],
          AuditKeys.sequenceKey(end), 1).isEmpty();
      if (eventsBeyond && readHead().getSequence() == end) {
        throw new Break("event " + (end + 1) + " is stored beyond the head (head rewritten?)");
      }
    }

    private void checkTail(long end) throws Break {
      if (previous == null) {
        if (end > 0) {
          throw new Break("no signed checkpoint covers the chain (checkpoints removed?)");
        }
        return;
      }
      if (end - previous.sequence() > previous.interval()) {
        throw new Break("events after " + previous.sequence() + " are not covered by a signed "
            + "checkpoint, although one was due within " + previous.interval()
            + " events (checkpoints removed?)");
      }
    }

    private AuditHead readHead() throws Break {
      Optional<byte[]> bytes = store.get(Table.META, AuditKeys.HEAD_KEY);
      if (bytes.isEmpty()) {
        return AuditHead.getDefaultInstance();
      }
      try {
        return AuditHead.parseFrom(bytes.get());
      } catch (InvalidProtocolBufferException e) {
        throw new Break("the audit head is unreadable");
      }
    }
  }

  /** The stored checkpoints in sequence order, read a page at a time. */
  private final class Checkpoints {
    private final ArrayDeque<KeyValue> buffer = new ArrayDeque<>();
    private byte[] after;
    private boolean exhausted;

    Checkpoint peek() throws Break {
      if (buffer.isEmpty() && !exhausted) {
        List<KeyValue> page = store.scan(Table.META, AuditKeys.CHECKPOINT_PREFIX, after, PAGE);
        buffer.addAll(page);
        exhausted = page.size() < PAGE;
        if (!page.isEmpty()) {
          after = page.get(page.size() - 1).key();
        }
      }
      KeyValue kv = buffer.peek();
      if (kv == null) {
        return null;
      }
      long sequence = AuditKeys.trailingSequence(kv.key());
      try {
        return Checkpoint.decode(sequence, kv.value());
      } catch (IllegalArgumentException e) {
        throw new Break("the checkpoint at event " + sequence + " is unreadable");
      }
    }

    void poll() {
      buffer.poll();
    }
  }
}
