package dev.coffer.e2e;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.client.CofferClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded write load on a {@link ClusterProcesses}: {@code writers} threads create vaulted
 * secrets, each call on the next node in turn (so the leader and the followers, which forward
 * to it, both take writes), until {@code maxWrites} calls were made or {@code maxTime} passed.
 * A write is acknowledged when its create returned; each acknowledgement is kept with the
 * value the response showed and the times its call started and ended. A call to a node that is
 * down fails at once and the writer moves on.
 */
final class ClusterWriteLoad implements AutoCloseable {

  /** One acknowledged create: the secret, its value, when its call started and returned. */
  record Ack(String secretId, String value, Instant sent, Instant acked) {}

  private final AtomicReferenceArray<CofferClient> clients;
  private final String parent;
  private final Map<String, Ack> acked = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Ack> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<String> firstFailure =
      new AtomicReference<>();
  private final ExecutorService pool;
  private final int maxWrites;
  private final Instant deadline;

  private ClusterWriteLoad(ClusterProcesses cluster, String clientId, int writers, int maxWrites,
      Duration maxTime) {
    this.clients = new AtomicReferenceArray<>(ClusterProcesses.SIZE);
    for (int i = 0; i < ClusterProcesses.SIZE; i++) {
      clients.set(i, cluster.isUp(i) ? cluster.client(i, Duration.ofSeconds(15)) : null);
    }
    this.parent = "applications/" + clientId;
    this.maxWrites = maxWrites;
    this.deadline = Instant.now().plus(maxTime);
    this.pool = Executors.newFixedThreadPool(writers);
    for (int w = 0; w < writers; w++) {
      int first = w;
      pool.submit(() -> write(first));
    }
  }

  static ClusterWriteLoad start(ClusterProcesses cluster, String clientId, int writers,
      int maxWrites, Duration maxTime) {
    return new ClusterWriteLoad(cluster, clientId, writers, maxWrites, maxTime);
  }

  private void write(int first) {
    for (int n = first; !stop.get() && Instant.now().isBefore(deadline); n++) {
      CofferClient c = clients.get(n % ClusterProcesses.SIZE);
      if (c == null) {
        pause(); // a node that is down: try the next one
        continue;
      }
      if (calls.incrementAndGet() > maxWrites) {
        return;
      }
      Instant sent = Instant.now();
      try {
        CreateSecretResponse r = c.secrets().createSecret(CreateSecretRequest.newBuilder()
            .setParent(parent).setDisplayName("failover").setLocation("/")
            .setVaulted(true).setPreapproveOwner(true).build());
        Ack ack = new Ack(r.getSecret().getSecretId(), r.getValue(), sent, Instant.now());
        acked.put(ack.secretId(), ack);
        order.add(ack);
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        firstFailure.compareAndSet(null, e.toString());
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first failed call's status (for messages), or null. */
  String firstFailure() {
    return firstFailure.get();
  }

  /** Node {@code i} went down: its client is closed and skipped until {@link #nodeUp}. */
  void nodeDown(int i) {
    CofferClient c = clients.getAndSet(i, null);
    if (c != null) {
      c.close();
    }
  }

  /** Node {@code i} is up again (a fresh channel: the old one may be in reconnect back-off). */
  void nodeUp(ClusterProcesses cluster, int i) {
    CofferClient old = clients.getAndSet(i, cluster.client(i, Duration.ofSeconds(15)));
    if (old != null) {
      old.close();
    }
  }

  int ackCount() {
    return acked.size();
  }

  int failures() {
    return failures.get();
  }

  Map<String, Ack> acked() {
    return Map.copyOf(acked);
  }

  /** The acknowledgements in the order they arrived. */
  List<Ack> inOrder() {
    return List.copyOf(order);
  }

  /** Waits (bounded by {@code limit}) until at least {@code count} writes are acknowledged. */
  boolean awaitAcks(int count, Duration limit) throws InterruptedException {
    Instant until = Instant.now().plus(limit);
    while (acked.size() < count && Instant.now().isBefore(until)) {
      Thread.sleep(10);
    }
    return acked.size() >= count;
  }

  /**
   * The first acknowledgement of a call that started after {@code instant}, waiting at most
   * {@code limit}; null if none came.
   */
  Ack awaitFirstSentAfter(Instant instant, Duration limit) throws InterruptedException {
    Instant until = Instant.now().plus(limit);
    while (Instant.now().isBefore(until)) {
      Ack first = order.stream().filter(a -> a.sent().isAfter(instant))
          .min((a, b) -> a.acked().compareTo(b.acked())).orElse(null);
      if (first != null) {
        return first;
      }
      Thread.sleep(10);
    }
    return null;
  }

  /** The last acknowledgement that arrived before {@code instant}, or null. */
  Ack lastAckedBefore(Instant instant) {
    return order.stream().filter(a -> a.acked().isBefore(instant))
        .max((a, b) -> a.acked().compareTo(b.acked())).orElse(null);
  }

  /** Stops the writers (each finishes its call in flight: at most its 15 s deadline). */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    pool.shutdown();
    if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
      pool.shutdownNow();
    }
    for (int i = 0; i < ClusterProcesses.SIZE; i++) {
      nodeDown(i);
    }
  }
}
