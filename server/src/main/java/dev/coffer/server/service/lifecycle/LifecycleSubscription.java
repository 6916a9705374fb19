package dev.coffer.server.service.lifecycle;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One watcher's place on the {@link LifecycleEvents} bus: a bounded queue of the notices it
 * may see and asked for, each offered once. The consumer {@link #poll}s when signalled.
 * When the queue is full the subscription fails (WATCHER_TOO_SLOW, RESOURCE_EXHAUSTED)
 * and leaves the bus instead of slowing anyone down; the consumer then ends its stream
 * with {@link #failure()}. A watch filtered to a secret also follows that secret's
 * successors after a rotation, so a cache keeps hearing about the credential it holds.
 *
 * <p>Thread-safety: the bus's dispatcher offers; any one consumer thread polls.
 */
public final class LifecycleSubscription implements AutoCloseable {

  /**
   * Re-checks, at this instant, the credential the watch was opened with; throws a
   * {@link CofferException} (UNAUTHENTICATED) once it is revoked or expired.
   */
  @FunctionalInterface
  public interface CredentialCheck {
    void check();

    /** For a watch with no bearer token to re-check (mTLS, in-process). */
    CredentialCheck NONE = () -> { };
  }

  /** Told that notices are waiting or that the subscription failed; must not block. */
  @FunctionalInterface
  public interface Listener {
    void signal();
  }

  /** Bound on successors a filtered watch picks up, so a set cannot grow without end. */
  private static final int MAX_FOLLOWED = 1000;

  private final Principal principal;
  private final LifecycleWatch watch;
  private final Set<String> resources;
  private final BlockingQueue<LifecycleNotice> queue;
  private final Listener listener;
  private final LifecycleEvents bus;
  private final CredentialCheck credential;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile CofferException failure;

  LifecycleSubscription(Principal principal, LifecycleWatch watch, int capacity,
      Listener listener, LifecycleEvents bus, CredentialCheck credential) {
    this.principal = principal;
    this.credential = credential;
    this.watch = watch;
    this.resources = watch.resources().isEmpty() ? null
        : ConcurrentHashMap.newKeySet();
    if (resources != null) {
      resources.addAll(watch.resources());
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.listener = listener;
    this.bus = bus;
  }

  public Principal principal() {
    return principal;
  }

  public LifecycleWatch watch() {
    return watch;
  }

  /** The next notice, or null when none is waiting. */
  public LifecycleNotice poll() {
    return queue.poll();
  }

  /** Why the subscription ended on the server's side (too slow, shutting down), or null. */
  public CofferException failure() {
    return failure;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Leaves the bus; idempotent. Notices still queued can be polled. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      bus.remove(this);
    }
  }

  /** Whether this watch asked for the notice (lead time and resource filter). */
  boolean wants(LifecycleNotice n) {
    return watch.wants(n) && (resources == null || resources.contains(n.resource()));
  }

  /** Queues a notice this watcher may see; on overflow fails instead of waiting. */
  void offer(LifecycleNotice n) {
    if (closed.get()) {
      return;
    }
    if (!queue.offer(n)) {
      fail(new CofferException(Reason.WATCHER_TOO_SLOW,
          "the watcher fell more than " + (queue.size() + queue.remainingCapacity())
              + " events behind and was disconnected; reconnect, and list what may have"
              + " changed meanwhile"));
      return;
    }
    if (resources != null && !n.successor().isEmpty() && resources.size() < MAX_FOLLOWED) {
      resources.add(n.successor());
    }
    listener.signal();
  }

  /**
   * Ends the subscription (UNAUTHENTICATED) when its credential was revoked or expired since
   * it opened; the bus calls this every second and before each delivery.
   *
   * @return whether the subscription is still live
   */
  boolean revalidate() {
    if (closed.get()) {
      return false;
    }
    try {
      credential.check();
      return true;
    } catch (CofferException e) {
      fail(e);
      return false;
    } catch (RuntimeException e) {
      fail(new CofferException(Reason.UNAUTHENTICATED,
          "the watch's credential could not be re-checked; reconnect"));
      return false;
    }
  }

  /** Ends the subscription with {@code why}; the consumer learns it from {@link #failure()}. */
  void fail(CofferException why) {
    if (failure == null) {
      failure = why;
    }
    close();
    listener.signal();
  }
}
