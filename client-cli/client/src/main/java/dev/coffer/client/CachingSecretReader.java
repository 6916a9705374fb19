package dev.coffer.client;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Reads vaulted secret values through {@link CofferClient#reveal} and keeps them in memory for a
 * while, for services that read the same secret often.
 *
 * <p>Contract, per secret id ({@code abc} and {@code secrets/abc} are one entry):
 *
 * <ul>
 *   <li>{@link #get} returns the cached value without a call until the entry is {@code
 *       refreshAhead × ttl} old; from then until {@code ttl} it still returns the cached value at
 *       once and starts one background reveal (at most one in flight per id) whose result replaces
 *       the entry and restarts its clock.
 *   <li>At {@code ttl} the entry is gone: {@code get} blocks on a fresh reveal. Concurrent callers
 *       of one id share that single call.
 *   <li>A failed background reveal keeps the old value until its hard expiry (and is retried on the
 *       next {@code get}); then {@code get} throws the call's {@link io.grpc.StatusRuntimeException}.
 *       So a revoked grant or secret stops being served within {@code ttl} at the latest.
 *   <li>{@link #refreshNow} reveals at once and replaces the entry; {@link #invalidate} and {@link
 *       #invalidateAll} forget entries. The reader owns a small refresh executor, shut down by
 *       {@link #close}, which also drops every value; it does not close the client.
 * </ul>
 *
 * <p>Security: values are held as {@link String}s, as the caller asked for them, so they cannot be
 * wiped and live on the heap until collected (a heap dump shows them); that is the price of
 * answering without a call, so keep {@code ttl} short and the reader's lifetime to the service's.
 * Every reveal is audited by the server, once per load, not once per {@code get}. Nothing here
 * logs a value or puts one in an exception; {@link #toString} shows counts only. Caffeine itself
 * logs a failed background refresh at WARNING, with the gRPC status (which never holds a value).
 */
public final class CachingSecretReader implements AutoCloseable {

  private final Function<String, String> reveal;
  private final LoadingCache<String, String> cache;
  private final ExecutorService refresher;
  private volatile boolean closed;

  private CachingSecretReader(Builder b) {
    this.refresher = Executors.newFixedThreadPool(b.refreshThreads, new RefreshThreads());
    this.reveal = b.reveal;
    Caffeine<Object, Object> caffeine =
        Caffeine.newBuilder()
            .expireAfterWrite(b.ttl)
            .maximumSize(b.maxEntries)
            .ticker(b.nanoTime::getAsLong)
            .executor(refresher)
            .recordStats();
    Duration refreshAfter = refreshAfter(b.ttl, b.refreshAhead);
    if (refreshAfter.compareTo(b.ttl) < 0) {
      caffeine.refreshAfterWrite(refreshAfter);
    }
    this.cache = caffeine.build(reveal::apply);
  }

  /** A builder reading through {@code client}, which the caller keeps and closes. */
  public static Builder builder(CofferClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(client::reveal);
  }

  /**
   * The value of {@code secretId}, from the cache or, when it has none (or it expired), from one
   * blocking reveal shared with concurrent callers.
   *
   * @param secretId bare id or {@code secrets/{id}}
   * @throws io.grpc.StatusRuntimeException when a needed reveal fails
   * @throws IllegalArgumentException when the id is malformed
   * @throws IllegalStateException after {@link #close}
   */
  public String get(String secretId) {
    String key = key(secretId);
    return cache.get(key);
  }

  /**
   * Reveals {@code secretId} now, on the caller's thread, and replaces its entry (restarting its
   * clock) before returning the new value. On failure the entry is left as it was.
   *
   * @throws io.grpc.StatusRuntimeException when the reveal fails
   */
  public String refreshNow(String secretId) {
    String key = key(secretId);
    String value = reveal.apply(key);
    cache.put(key, value);
    return value;
  }

  /** Forgets {@code secretId}: the next {@link #get} reveals it again. */
  public void invalidate(String secretId) {
    cache.invalidate(key(secretId));
  }

  /** Forgets every value. */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  /** Drops every value and stops the refresh threads (waiting up to 5 s); idempotent. */
  @Override
  public void close() {
    closed = true;
    cache.invalidateAll();
    refresher.shutdown();
    try {
      if (!refresher.awaitTermination(5, TimeUnit.SECONDS)) {
        refresher.shutdownNow();
      }
    } catch (InterruptedException e) {
      refresher.shutdownNow();
      Thread.currentThread().interrupt();
    }
    cache.invalidateAll();
  }

  /** Counts only: entries, hits, misses, reveals and failed reveals. */
  @Override
  public String toString() {
    CacheStats s = cache.stats();
    return "CachingSecretReader[entries=" + cache.estimatedSize()
        + ", hits=" + s.hitCount()
        + ", misses=" + s.missCount()
        + ", reveals=" + s.loadCount()
        + ", failedReveals=" + s.loadFailureCount()
        + (closed ? ", closed" : "")
        + "]";
  }

  private String key(String secretId) {
    if (closed) {
      throw new IllegalStateException("CachingSecretReader is closed");
    }
    return ResourceNames.secret(secretId);
  }

  static Duration refreshAfter(Duration ttl, double fraction) {
    long nanos = (long) Math.floor(ttl.toNanos() * fraction);
    return Duration.ofNanos(Math.max(1, nanos));
  }

  /** Daemon threads named {@code coffer-secret-refresh-N}: they never keep a JVM alive. */
  private static final class RefreshThreads implements ThreadFactory {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "coffer-secret-refresh-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /**
   * Settings of a {@link CachingSecretReader}. Defaults: ttl 5 minutes, refresh ahead at 0.8 of
   * it, 1000 entries, {@link System#nanoTime}, 2 refresh threads.
   */
  public static final class Builder {
    private final Function<String, String> reveal;
    private Duration ttl = Duration.ofMinutes(5);
    private double refreshAhead = 0.8;
    private long maxEntries = 1000;
    private LongSupplier nanoTime = System::nanoTime;
    private int refreshThreads = 2;

    private Builder(Function<String, String> reveal) {
      this.reveal = reveal;
    }

    /** How long a value may be served after it was revealed (hard expiry); positive. */
    public Builder ttl(Duration ttl) {
      if (ttl == null || ttl.isZero() || ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must be positive");
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The fraction of {@code ttl} after which a {@code get} starts a background refresh, in (0,
     * 1]; 1 turns refresh-ahead off (every expiry is then a blocking reveal).
     */
    public Builder refreshAhead(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("refreshAhead must be in (0, 1]");
      }
      this.refreshAhead = fraction;
      return this;
    }

    /** Most secrets kept; beyond it the least useful entries are evicted. */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1");
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** A monotonic nanosecond source like {@link System#nanoTime} (tests pass a fake). */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** Threads for background refreshes. */
    public Builder refreshThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("refreshThreads must be at least 1");
      }
      this.refreshThreads = threads;
      return this;
    }

    public CachingSecretReader build() {
      return new CachingSecretReader(this);
    }
  }
}
