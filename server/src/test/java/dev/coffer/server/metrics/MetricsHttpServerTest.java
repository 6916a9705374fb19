package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /metrics endpoint over real HTTP on 127.0.0.1. */
class MetricsHttpServerTest {

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  CofferMetrics metrics;
  MetricsHttpServer server;

  @BeforeEach
  void setUp() throws IOException {
    metrics = CofferMetrics.create();
    server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        metrics::scrape);
  }

  @AfterEach
  void tearDown() {
    server.close();
    metrics.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.address().getPort() + path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getMetrics_servesTheTextFormat() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics");

    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8",
        r.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(r.body().contains("# TYPE jvm_memory_used_bytes gauge"), "JVM metrics");
    assertTrue(r.body().contains("process_uptime_seconds"), "process metrics");
    assertTrue(r.body().contains("process_files_open_files"), "file descriptors");
  }

  @Test
  void headMetrics_hasNoBody_otherMethodsAndPaths_areRefused() throws Exception {
    assertEquals(200, send("HEAD", "/metrics").statusCode());
    assertEquals("", send("HEAD", "/metrics").body());
    HttpResponse<String> post = send("POST", "/metrics");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    assertEquals(404, send("GET", "/").statusCode());
    assertEquals(404, send("GET", "/metrics/extra").statusCode());
    assertEquals(404, send("GET", "/admin").statusCode());
  }

  @Test
  void portZero_picksAFreePort_andASecondBindOfItFails() {
    assertNotEquals(0, server.address().getPort());
    assertThrows(BindException.class, () -> MetricsHttpServer.start(server.address(),
        () -> ""));
  }

  @Test
  void close_stopsServing() throws Exception {
    server.close();

    assertThrows(IOException.class, () -> send("GET", "/metrics"));
  }
}
