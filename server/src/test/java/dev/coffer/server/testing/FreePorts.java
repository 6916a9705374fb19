package dev.coffer.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.util.ExitUtils;

/**
 * Ports for in-JVM Raft groups on 127.0.0.1, chosen together: all sockets are held open until
 * every port is picked, so one call never hands out the same port twice (picked one at a time,
 * the kernel returned the same port for two nodes of one group, and Ratis, failing to bind,
 * ended the test JVM). {@link #distinct} also makes Ratis throw instead of calling
 * {@code System.exit}, so a bind failure fails a test rather than the whole fork.
 */
public final class FreePorts {

  private FreePorts() {}

  /** {@code count} distinct ports free on 127.0.0.1 now (the caller binds them moments later). */
  public static List<Integer> distinct(int count) {
    ExitUtils.disableSystemExit();
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
