package dev.coffer.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint for Prometheus (JDK {@link HttpServer}, two worker threads):
 * {@code GET /metrics} (or HEAD) answers 200 with the text exposition format 0.0.4;
 * another method on it answers 405, any other path 404. Nothing else is served.
 *
 * <p>Security: the exposition carries counts labelled by bounded, non-secret values only
 * (see {@link CofferMetrics}), so the endpoint needs no authentication and may listen on
 * any address; requests are never logged and their content is never read.
 */
public final class MetricsHttpServer implements AutoCloseable {

  public static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final int THREADS = 2;

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and starts serving {@code exposition}.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static MetricsHttpServer start(InetSocketAddress address, Supplier<String> exposition)
      throws IOException {
    Objects.requireNonNull(exposition, "exposition");
    HttpServer server = HttpServer.create(address, 16);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "coffer-metrics-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, exposition));
    server.start();
    return new MetricsHttpServer(server, executor);
  }

  /** The bound address (with the real port when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting, lets an exchange in progress finish for up to 1 s. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(1);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void handle(HttpExchange exchange, Supplier<String> exposition)
      throws IOException {
    try (exchange) {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        reply(exchange, 404, "text/plain; charset=utf-8", "not found; try " + PATH + "\n");
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      reply(exchange, 200, CONTENT_TYPE, exposition.get());
    }
  }

  private static void reply(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
