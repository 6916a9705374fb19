package dev.coffer.server.cluster;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.Table;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What applying one replicated batch did, as every replica computes it identically: the
 * reply the leader hands back to the proposer (the future group commit).
 *
 * <p>Contract: {@link #encode} and {@link #decode} are exact inverses over explicit codes
 * (never {@code ordinal()}): {@code APPLIED} (1); {@code EXPECTATION_FAILED} (2) with the
 * position of the first failed expectation in the batch and its table; {@code REJECTED} (3)
 * for an entry that does not decode or touches the state machine's reserved key, which
 * changes nothing. Security: names positions and tables only, never keys or values.
 *
 * @param status what happened
 * @param failedExpectation position of the first failed expectation, or -1
 * @param failedTable the table of that expectation, or null
 */
public record ApplyOutcome(Status status, int failedExpectation, Table failedTable) {

  /** The outcome of one entry, with its fixed wire code. */
  public enum Status {
    APPLIED(1), EXPECTATION_FAILED(2), REJECTED(3);

    private final byte code;

    Status(int code) {
      this.code = (byte) code;
    }

    static Status of(byte code) {
      for (Status s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      throw CofferException.invalid("apply_outcome", "unknown status " + (code & 0xFF));
    }
  }

  public ApplyOutcome {
    Objects.requireNonNull(status, "status");
    if ((status == Status.EXPECTATION_FAILED) != (failedTable != null && failedExpectation >= 0)) {
      throw new IllegalArgumentException("a failed expectation names its position and table");
    }
  }

  static final ApplyOutcome APPLIED = new ApplyOutcome(Status.APPLIED, -1, null);
  static final ApplyOutcome REJECTED = new ApplyOutcome(Status.REJECTED, -1, null);

  static ApplyOutcome expectationFailed(int position, Table table) {
    return new ApplyOutcome(Status.EXPECTATION_FAILED, position, table);
  }

  /** u8 status; for EXPECTATION_FAILED also i32 position and u8 table code. */
  public byte[] encode() {
    if (status != Status.EXPECTATION_FAILED) {
      return new byte[] {status.code};
    }
    return ByteBuffer.allocate(6).put(status.code).putInt(failedExpectation)
        .put(ReplicatedBatch.code(failedTable)).array();
  }

  /** The outcome {@link #encode} wrote; INVALID_ARGUMENT naming apply_outcome otherwise. */
  public static ApplyOutcome decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw CofferException.invalid("apply_outcome", "empty");
    }
    Status status = Status.of(bytes[0]);
    if (status != Status.EXPECTATION_FAILED) {
      if (bytes.length != 1) {
        throw CofferException.invalid("apply_outcome", "trailing bytes");
      }
      return status == Status.APPLIED ? APPLIED : REJECTED;
    }
    if (bytes.length != 6) {
      throw CofferException.invalid("apply_outcome", "wrong length " + bytes.length);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, 5);
    int position = in.getInt();
    if (position < 0) {
      throw CofferException.invalid("apply_outcome", "negative position");
    }
    return expectationFailed(position, ReplicatedBatch.table(in.get()));
  }
}
