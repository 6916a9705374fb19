package dev.coffer.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.Test;

/** Lease and acknowledgement requests round-trip; nothing else is read as one. */
class LeaseMessagesTest {

  @Test
  void aLeaseRequest_namesItsFollower() {
    Message request = LeaseMessages.leaseRequest("coffer-1");
    assertEquals("coffer-1", LeaseMessages.leasePeer(request));
    assertEquals(-1, LeaseMessages.acknowledgeIndex(request));
  }

  @Test
  void anAcknowledgementRequest_namesItsIndex() {
    Message request = LeaseMessages.acknowledgeRequest(123_456_789_012L);
    assertEquals(123_456_789_012L, LeaseMessages.acknowledgeIndex(request));
    assertNull(LeaseMessages.leasePeer(request));
  }

  @Test
  void aGrant_carriesItsIndex() {
    assertEquals(77, LeaseMessages.index(LeaseMessages.index(77)));
    assertThrows(IllegalArgumentException.class, () -> LeaseMessages.index(Message.EMPTY));
  }

  @Test
  void aBarriersEmptyRequest_isNeither() {
    assertNull(LeaseMessages.leasePeer(Message.EMPTY));
    assertEquals(-1, LeaseMessages.acknowledgeIndex(Message.EMPTY));
    assertNull(LeaseMessages.leasePeer(Message.valueOf("L")));
  }
}
