package dev.coffer.server.service.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.inprocess.InProcessSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerHostTest {

  @Test
  void anInternetAddressIsItsHostWhateverThePort() throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    assertEquals("127.0.0.1", PeerHost.of(new InetSocketAddress(loopback, 50001)));
    assertEquals("127.0.0.1", PeerHost.of(new InetSocketAddress(loopback, 50002)));
  }

  @Test
  void anUnresolvedAddressIsItsHostString() {
    assertEquals("coffer.invalid",
        PeerHost.of(InetSocketAddress.createUnresolved("coffer.invalid", 443)));
  }

  @Test
  void anotherAddressIsItsTextAndNoneIsEmpty() {
    InProcessSocketAddress inProcess = new InProcessSocketAddress("coffer-test");
    assertEquals(inProcess.toString(), PeerHost.of(inProcess));
    assertEquals("", PeerHost.of(null));
  }
}
