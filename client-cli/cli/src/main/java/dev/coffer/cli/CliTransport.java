package dev.coffer.cli;

import dev.coffer.client.ClientConfig;
import dev.coffer.client.CofferClient;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The network threads of one CLI process: every connection it opens shares one Netty event-loop
 * group (epoll where Netty's native transport loads, as grpc-java's default does, else Java NIO;
 * its threads start with the first connection), which {@link #close()} stops before the process
 * exits.
 *
 * <p>Why it exists: grpc-java's default transport keeps its shared event loop alive for a second
 * after the last channel closes, and a JVM exiting while a thread sits in a native call (a
 * selector's wait) pauses about 0.3 s before it ends, which was a third of each CLI call.
 * {@code coffer bench} runs on the same kind of event loop as before, so its figures compare.
 *
 * <p>Security: carries bytes only; credentials and TLS are the {@link ClientConfig}'s.
 */
final class CliTransport implements AutoCloseable {

  /** The name its threads start with, for thread dumps. */
  static final String THREAD_NAME = "coffer-cli-io";

  private EventLoopGroup group;
  private boolean epoll;

  /** A client over this transport, with {@code config}'s address, credentials and deadline. */
  synchronized CofferClient connect(ClientConfig config) {
    if (group == null) {
      epoll = Epoll.isAvailable();
      group = new MultiThreadIoEventLoopGroup(
          0, // Netty's default: two threads per core, started as connections need them
          new DefaultThreadFactory(THREAD_NAME, true),
          epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }
    return CofferClient.create(
        config,
        NettyChannelBuilder.forTarget(config.address(), config.channelCredentials())
            .eventLoopGroup(group)
            .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class));
  }

  /** Stops the network threads (at once: every client has been closed by now) and waits. */
  @Override
  public synchronized void close() {
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      group = null;
    }
  }
}
