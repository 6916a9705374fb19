package dev.coffer.server.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditHead;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Walks the audit chain from the first event to the head and reports the first break: a
 * gap or reordering in sequence numbers, a record whose previous-hash does not match, an
 * unreadable record, or a head that does not match the last event.
 */
public final class AuditChainVerifier {

  /** Result of a walk; {@code firstBreak} is empty when the chain is intact. */
  public record Result(long eventsChecked, Optional<String> firstBreak) {
    public boolean intact() {
      return firstBreak.isEmpty();
    }
  }

  private static final int PAGE = 1000;

  private final KvStore store;

  public AuditChainVerifier(KvStore store) {
    this.store = store;
  }

  public Result verify() {
    byte[] previousHash = new byte[ChainedAuditLog.HASH_BYTES];
    long expected = 1;
    byte[] after = null;
    while (true) {
      List<KeyValue> page = store.scan(Table.AUDIT, new byte[0], after, PAGE);
      for (KeyValue kv : page) {
        long keySeq = ByteBuffer.wrap(kv.key()).getLong();
        AuditRec rec;
        try {
          rec = AuditRec.parseFrom(kv.value());
        } catch (InvalidProtocolBufferException e) {
          return broken(expected - 1, "event " + keySeq + " is unreadable");
        }
        if (keySeq != expected || rec.getSequence() != expected) {
          return broken(expected - 1, "expected event " + expected + " but found " + keySeq);
        }
        if (!Arrays.equals(rec.getPreviousHash().toByteArray(), previousHash)) {
          return broken(expected - 1, "event " + expected + " does not chain to event "
              + (expected - 1) + " (altered, removed or reordered)");
        }
        previousHash = ChainedAuditLog.sha256(kv.value());
        expected++;
        after = kv.key();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    long last = expected - 1;
    AuditHead head = store.get(Table.META, ChainedAuditLog.HEAD_KEY).map(b -> {
      try {
        return AuditHead.parseFrom(b);
      } catch (InvalidProtocolBufferException e) {
        return AuditHead.getDefaultInstance();
      }
    }).orElse(AuditHead.getDefaultInstance());
    if (head.getSequence() != last
        || (last > 0 && !Arrays.equals(head.getHash().toByteArray(), previousHash))) {
      return broken(last, "the head names event " + head.getSequence()
          + " but the chain ends at event " + last + " (events removed at the end?)");
    }
    return new Result(last, Optional.empty());
  }

  private static Result broken(long checked, String why) {
    return new Result(checked, Optional.of(why));
  }
}
