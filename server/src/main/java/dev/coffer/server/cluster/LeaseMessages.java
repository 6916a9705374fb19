package dev.coffer.server.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The read-only requests a follower sends its leader for read leases (see
 * {@link FollowerLeases}): a lease request names the follower, its grant names the index reads
 * under it must have applied; an acknowledgement request names a write's log index and is
 * answered once the write may be acknowledged. A read barrier's request is empty, so none of
 * these is. Holds peer ids and indices only.
 */
final class LeaseMessages {

  private static final byte LEASE = 'L';
  private static final byte ACKNOWLEDGE = 'A';

  private LeaseMessages() {
  }

  static Message leaseRequest(String peer) {
    byte[] id = peer.getBytes(StandardCharsets.UTF_8);
    return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(1 + id.length).put(LEASE)
        .put(id).flip()));
  }

  static Message acknowledgeRequest(long index) {
    return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(9).put(ACKNOWLEDGE)
        .putLong(index).flip()));
  }

  static Message index(long index) {
    return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(index).flip()));
  }

  /** The index in a lease's grant ({@link #index}). */
  static long index(Message reply) {
    ByteString content = reply.getContent();
    if (content.size() != 8) {
      throw new IllegalArgumentException("a lease grant is 8 bytes, not " + content.size());
    }
    return content.asReadOnlyByteBuffer().getLong();
  }

  /** The follower a lease request names, or null when {@code request} is not one. */
  static String leasePeer(Message request) {
    ByteString content = request.getContent();
    return content.size() > 1 && content.byteAt(0) == LEASE
        ? content.substring(1).toStringUtf8() : null;
  }

  /** The index an acknowledgement request names, or -1 when {@code request} is not one. */
  static long acknowledgeIndex(Message request) {
    ByteString content = request.getContent();
    return content.size() == 9 && content.byteAt(0) == ACKNOWLEDGE
        ? content.substring(1).asReadOnlyByteBuffer().getLong() : -1;
  }
}
