package dev.coffer.server.service.lifecycle;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretHolder;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.SecretHolders;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process lifecycle bus. Services publish state changes after their batch commits;
 * {@link LifecycleMonitor} publishes expiry warnings and expiries; each
 * {@link LifecycleSubscription} receives, once, every notice of its tenant that its
 * principal may see ({@link LifecycleNotice.Audience}) and that its watch asked for.
 *
 * <p>Publishing never fails and never waits: {@link #publish} only hands the notice to one
 * dispatcher thread through a bounded backlog. The dispatcher fans out to bounded
 * per-subscriber queues; a subscriber whose queue is full is disconnected
 * (RESOURCE_EXHAUSTED) rather than allowed to hold anyone up. Should the backlog itself
 * overflow, the notice is dropped and every subscription is ended the same way, so no
 * watcher silently misses an event. Ordering: notices reach a subscriber in publish order.
 *
 * <p>Limits: {@value #MAX_PER_PRINCIPAL} concurrent watches per principal and
 * {@value #MAX_SUBSCRIPTIONS} in all (WATCH_LIMIT, RESOURCE_EXHAUSTED).
 */
public final class LifecycleEvents implements AutoCloseable {

  public static final int DEFAULT_QUEUE_CAPACITY = 1024;
  public static final int MAX_PER_PRINCIPAL = 8;
  public static final int MAX_SUBSCRIPTIONS = 1024;
  private static final int BACKLOG = 16_384;
  private static final Logger LOG = Logger.getLogger(LifecycleEvents.class.getName());

  private final SecretHolders holders;
  private final AccessPolicy policy;
  private final int queueCapacity;
  private final Map<String, Set<LifecycleSubscription>> byTenant = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor dispatcher;
  private int count;
  private volatile boolean closed;
  private volatile Consumer<LifecycleNotice> stateChanges = this::publish;

  public LifecycleEvents(SecretHolders holders, AccessPolicy policy) {
    this(holders, policy, DEFAULT_QUEUE_CAPACITY);
  }

  /** @param queueCapacity notices a subscriber may fall behind before it is disconnected */
  public LifecycleEvents(SecretHolders holders, AccessPolicy policy, int queueCapacity) {
    this.holders = holders;
    this.policy = policy;
    this.queueCapacity = queueCapacity;
    this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(BACKLOG), r -> {
          Thread t = new Thread(r, "coffer-lifecycle-events");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Subscribes {@code caller} to its tenant's notices.
   *
   * @param listener told (on the dispatcher's thread) when notices wait or the watch failed
   * @throws CofferException WATCH_LIMIT when the caller or the server has too many watches,
   *     SHUTTING_DOWN after {@link #close}
   */
  public LifecycleSubscription subscribe(Principal caller, LifecycleWatch watch,
      LifecycleSubscription.Listener listener) {
    return subscribe(caller, watch, listener, LifecycleSubscription.CredentialCheck.NONE);
  }

  /**
   * As {@link #subscribe(Principal, LifecycleWatch, LifecycleSubscription.Listener)}, with
   * the credential the watch authenticated with: the watch ends with UNAUTHENTICATED within
   * about a second of that credential being revoked or expiring ({@link #revalidate}).
   */
  public synchronized LifecycleSubscription subscribe(Principal caller, LifecycleWatch watch,
      LifecycleSubscription.Listener listener, LifecycleSubscription.CredentialCheck credential) {
    if (closed) {
      throw shuttingDown();
    }
    Set<LifecycleSubscription> tenant = byTenant.computeIfAbsent(caller.tenantId(),
        t -> new CopyOnWriteArraySet<>());
    long mine = tenant.stream()
        .filter(s -> s.principal().principalId().equals(caller.principalId())).count();
    if (mine >= MAX_PER_PRINCIPAL || count >= MAX_SUBSCRIPTIONS) {
      throw new CofferException(Reason.WATCH_LIMIT, mine >= MAX_PER_PRINCIPAL
          ? "at most " + MAX_PER_PRINCIPAL + " concurrent watches per principal"
          : "the server has too many watches open; try again later");
    }
    LifecycleSubscription s = new LifecycleSubscription(caller, watch, queueCapacity,
        listener, this, credential);
    tenant.add(s);
    count++;
    return s;
  }

  synchronized void remove(LifecycleSubscription s) {
    Set<LifecycleSubscription> tenant = byTenant.get(s.principal().tenantId());
    if (tenant != null && tenant.remove(s)) {
      count--;
      if (tenant.isEmpty()) {
        byTenant.remove(s.principal().tenantId());
      }
    }
  }

  /** Watches open now. */
  public synchronized int subscriptionCount() {
    return count;
  }

  /** Hands a notice to the dispatcher. Never throws, never blocks. */
  public void publish(LifecycleNotice n) {
    if (closed || !byTenant.containsKey(n.tenantId())) {
      return;
    }
    try {
      dispatcher.execute(() -> dispatch(n));
    } catch (RejectedExecutionException e) {
      if (!closed) {
        LOG.warning("lifecycle backlog full: disconnecting every watcher");
        failAll(new CofferException(Reason.WATCHER_TOO_SLOW, "the server fell behind "
            + "delivering lifecycle events; reconnect, and list what may have changed"));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "lifecycle publish failed: {0}", e.getClass().getName());
    }
  }

  /**
   * Where the state changes below go instead of this node's own watchers (a cluster node:
   * into the Raft log, whose every replica then {@link #publish}es them at apply, so a watch
   * open on any node hears of a change made through any node, once). By default, here.
   * {@code out} must not block or throw.
   */
  public void stateChangesThrough(Consumer<LifecycleNotice> out) {
    this.stateChanges = Objects.requireNonNull(out, "out");
  }

  /** Publishes a committed state change of a secret (REVOKED, DELETED, ROTATED...). */
  public void secretChanged(SecretMetadata m, String state, String successorId, Instant at) {
    safely(() -> stateChanges.accept(LifecycleNotice.secretChanged(m, state, successorId, at)));
  }

  /** Publishes a committed state change of a grant (GRANTED, GRANT_REVOKED). */
  public void grantChanged(Grant g, SecretMetadata secret, String state, Instant at) {
    safely(() -> stateChanges.accept(LifecycleNotice.grantChanged(g, secret, state, at)));
  }

  /** Publishes a committed state change of an access request (REQUESTED, APPROVED...). */
  public void requestChanged(AccessRequest r, SecretMetadata secret, String state,
      Instant at) {
    safely(() -> stateChanges.accept(LifecycleNotice.requestChanged(r, secret, state, at)));
  }

  /**
   * Publishes that a token was issued for {@code target} by someone else (and how many of
   * its tokens that revoked), to the target, a service's owner and the tenant's admins.
   */
  public void credentialIssued(Principal target, AccessToken token, int revoked, Instant at) {
    safely(() -> stateChanges.accept(LifecycleNotice.credentialIssued(target, token, revoked, at)));
  }

  /**
   * Publishes that issuer {@code issuerId}, created by someone other than {@code service},
   * binds JWTs to {@code service}: to the service, its owner and the tenant's admins.
   */
  public void signInTrusted(Principal service, String issuerId, Instant at) {
    safely(() -> stateChanges.accept(LifecycleNotice.signInTrusted(service, issuerId, at)));
  }

  /**
   * Publishes that the system administrator replaced {@code tenantId}'s policy, to its admins
   * (also on a watch whose token that change revoked: it is how the admin notices).
   */
  public void tenantPolicyUpdated(String tenantId, Instant at) {
    safely(() -> stateChanges.accept(LifecycleNotice.tenantPolicyUpdated(tenantId, at)));
  }

  /**
   * Re-checks every open watch's credential, ending those whose token was revoked or expired
   * (UNAUTHENTICATED); {@link LifecycleMonitor} calls it every tick, on the dispatcher so
   * that no notice is delivered between a failed check and the end of the watch.
   */
  public void revalidate() {
    if (closed || byTenant.isEmpty()) {
      return;
    }
    try {
      dispatcher.execute(() -> byTenant.values().stream().flatMap(Set::stream).toList()
          .forEach(LifecycleSubscription::revalidate));
    } catch (RejectedExecutionException e) {
      // closed, or backlog full (then every watcher was already disconnected)
    }
  }

  /** The lead times watched in each tenant that has watchers (for the monitor). */
  Map<String, Set<Duration>> watchedLeadTimes() {
    Map<String, Set<Duration>> result = new HashMap<>();
    byTenant.forEach((tenant, subs) -> {
      Set<Duration> leads = new HashSet<>();
      subs.forEach(s -> leads.addAll(s.watch().leadTimes()));
      if (!subs.isEmpty()) {
        result.put(tenant, leads);
      }
    });
    return result;
  }

  /**
   * Waits (up to 10 s) until every notice published before the call has been dispatched to
   * the subscribers' queues; for tests and orderly shutdown.
   */
  public void flush() {
    try {
      dispatcher.submit(() -> { }).get(10, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // closed, or backlog full (then every watcher was already disconnected)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "lifecycle flush failed: {0}", e.getClass().getName());
    }
  }

  /** Ends every watch with SHUTTING_DOWN (UNAVAILABLE) and stops the dispatcher. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    failAll(shuttingDown());
    dispatcher.shutdown();
    try {
      if (!dispatcher.awaitTermination(5, TimeUnit.SECONDS)) {
        dispatcher.shutdownNow();
      }
    } catch (InterruptedException e) {
      dispatcher.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void dispatch(LifecycleNotice n) {
    Set<LifecycleSubscription> subs = byTenant.get(n.tenantId());
    if (subs == null) {
      return;
    }
    Supplier<SecretHolder> app = new Supplier<>() {
      private SecretHolder resolved;
      private boolean done;

      @Override
      public SecretHolder get() {
        if (!done) {
          SecretMetadata s = n.audience().secret();
          resolved = s == null ? null : holders.of(s);
          done = true;
        }
        return resolved;
      }
    };
    for (LifecycleSubscription s : subs) {
      try {
        if (s.wants(n) && n.audience().admits(s.principal(), n.tenantId(), policy, app)
            && (tellsOfOwnCredential(n, s) || tellsAdminsOfPolicy(n) || s.revalidate())) {
          s.offer(n);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "lifecycle delivery failed: {0}", e.getClass().getName());
      }
    }
  }

  /**
   * A notice that a principal was issued a token by someone else goes to that principal even
   * though the same issuance revoked the token its watch was opened with (it is how it
   * notices); the watch then ends at its next re-check.
   */
  private static boolean tellsOfOwnCredential(LifecycleNotice n, LifecycleSubscription s) {
    return n.audience().kind() == LifecycleNotice.Audience.Kind.CREDENTIAL
        && s.principal().principalId().equals(n.audience().party());
  }

  /**
   * A tenant policy change that revoked the people's tokens (federated sign-in only) still
   * reaches the admins' watches opened with those tokens; they end at their next re-check.
   */
  private static boolean tellsAdminsOfPolicy(LifecycleNotice n) {
    return n.audience().kind() == LifecycleNotice.Audience.Kind.TENANT;
  }

  private void failAll(CofferException why) {
    List<LifecycleSubscription> all = byTenant.values().stream()
        .flatMap(Set::stream).toList();
    all.forEach(s -> s.fail(why));
  }

  private static CofferException shuttingDown() {
    return new CofferException(Reason.SHUTTING_DOWN,
        "the server is shutting down; reconnect to another instance or retry shortly");
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "lifecycle publish failed: {0}", e.getClass().getName());
    }
  }
}
