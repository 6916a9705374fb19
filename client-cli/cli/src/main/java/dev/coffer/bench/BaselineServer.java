package dev.coffer.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The transport's ceiling, for {@code coffer bench --op health} to be compared against: a bare
 * grpc-java server (Netty, plaintext) that serves only the standard health service, with its
 * handlers on the transport threads (a direct executor) and no interceptors, as grpc-java's
 * own benchmarks configure their fastest server. It holds no data and checks no token.
 */
public final class BaselineServer implements AutoCloseable {

  private final Server server;

  private BaselineServer(Server server) {
    this.server = server;
  }

  /** Starts serving on {@code host:port} (port 0: any free port). */
  public static BaselineServer start(String host, int port) throws IOException {
    HealthStatusManager health = new HealthStatusManager(); // SERVING for "" from the start
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .directExecutor()
        .addService(health.getHealthService())
        .build()
        .start();
    return new BaselineServer(server);
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  /** Waits until the server stops or {@code millis} pass; false on time-out. */
  public boolean awaitTermination(long millis) throws InterruptedException {
    return server.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
