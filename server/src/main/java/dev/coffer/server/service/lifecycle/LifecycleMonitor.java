package dev.coffer.server.service.lifecycle;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.DueIndex;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.SecretRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes EXPIRY_WARNING and EXPIRED notices for secrets, grants and access requests
 * (decision deadline) as the clock crosses them. Each {@link #tick} handles the crossings in
 * {@code (last tick, now]} by range scans over the time indexes — one cursor per tenant
 * being watched, object kind and lead time (zero for the expiry itself) — so its cost
 * follows what crossed, not how many objects exist; it examines at most a fixed number of
 * entries per tick and carries on from its cursors at the next one. Cursors only move
 * forward, so a crossing is published once.
 *
 * <p>Notification only: expiry is decided at read time by the services, whether or not a
 * tick ran. Before publishing, the current record is re-read: revoked, deleted, decided or
 * re-timed objects are skipped, a secret rotated away gets no more warnings (its expiry at
 * the end of an overlap is still announced; with no overlap, ROTATED says it), a grant is announced only while its secret
 * is active and not rotated away, and a warning is sent only for a window entered after
 * the object was created. Crossings that happen while nobody in a tenant watches (or
 * while the server is down) are not replayed.
 */
public final class LifecycleMonitor {

  /** The name of its background job (and its thread). */
  public static final String JOB_NAME = "coffer-lifecycle-monitor";

  public static final int DEFAULT_MAX_PER_TICK = 5000;
  private static final Logger LOG = Logger.getLogger(LifecycleMonitor.class.getName());

  private enum Source { SECRET, GRANT, REQUEST }

  private record ScanKey(String tenant, Source source, Duration lead) {}

  /** Where one scan resumes: after {@code after}, or, before its first entry, after {@code from}. */
  private static final class Cursor {
    final Instant from;
    DueIndex.Due after;

    Cursor(Instant from) {
      this.from = from;
    }
  }

  private static final Comparator<ScanKey> ORDER = Comparator.comparing(ScanKey::tenant)
      .thenComparing(ScanKey::source).thenComparing(ScanKey::lead);

  private final SecretRepository secrets;
  private final GrantRepository grants;
  private final AccessRequestRepository requests;
  private final LifecycleEvents events;
  private final Clock clock;
  private final int maxPerTick;
  private final Map<ScanKey, Cursor> cursors = new HashMap<>();
  private Instant lastTick;
  private long ticks;

  public LifecycleMonitor(SecretRepository secrets, GrantRepository grants,
      AccessRequestRepository requests, LifecycleEvents events, Clock clock, int maxPerTick) {
    this.secrets = secrets;
    this.grants = grants;
    this.requests = requests;
    this.events = events;
    this.clock = clock;
    this.maxPerTick = maxPerTick;
    this.lastTick = clock.instant();
  }

  /** Ticks every second, on every node (each serves its own watchers). */
  public BackgroundJob job() {
    return BackgroundJob.onEveryNode(JOB_NAME, Duration.ofSeconds(1),
        Duration.ofSeconds(1), this::tick);
  }


  /**
   * Publishes the crossings in {@code (last tick, now]} (up to the per-tick bound).
   *
   * @return the index entries examined
   */
  public synchronized int tick() {
    events.revalidate();
    Instant now = clock.instant();
    if (!now.isAfter(lastTick)) {
      return 0;
    }
    syncCursors(events.watchedLeadTimes());
    List<ScanKey> order = new ArrayList<>(cursors.keySet());
    order.sort(ORDER);
    int examined = 0;
    for (int i = 0; i < order.size() && examined < maxPerTick; i++) {
      ScanKey k = order.get((int) ((i + ticks) % order.size()));
      examined += advance(k, cursors.get(k), now, maxPerTick - examined);
    }
    ticks++;
    lastTick = now;
    return examined;
  }



  /** Keeps one cursor per watched (tenant, kind, lead); a new one starts at the last tick. */
  private void syncCursors(Map<String, Set<Duration>> watched) {
    Set<ScanKey> wanted = new HashSet<>();
    watched.forEach((tenant, leads) -> {
      Set<Duration> all = new HashSet<>(leads);
      all.add(Duration.ZERO);
      for (Duration lead : all) {
        for (Source source : Source.values()) {
          wanted.add(new ScanKey(tenant, source, lead));
        }
      }
    });
    cursors.keySet().retainAll(wanted);
    for (ScanKey k : wanted) {
      cursors.computeIfAbsent(k, key -> new Cursor(lastTick.plus(key.lead())));
    }
  }

  /** Publishes one scan's crossings up to {@code now}; returns the entries it used. */
  private int advance(ScanKey k, Cursor c, Instant now, int budget) {
    Instant until = now.plus(k.lead());
    List<DueIndex.Due> due;
    try {
      due = switch (k.source()) {
        case SECRET -> secrets.dueByExpiry(k.tenant(), c.from, c.after, until, budget);
        case GRANT -> grants.dueByExpiry(k.tenant(), c.from, c.after, until, budget);
        case REQUEST -> requests.dueByDeadline(k.tenant(), c.from, c.after, until, budget);
      };
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "lifecycle scan failed: {0}", e.getClass().getName());
      return 1;
    }
    for (DueIndex.Due d : due) {
      c.after = d; // at most once: an entry that fails to publish is not retried forever
      try {
        publishIfCurrent(k, d, now);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "lifecycle check failed: {0}", e.getClass().getName());
      }
    }
    return Math.max(1, due.size());
  }

  private void publishIfCurrent(ScanKey k, DueIndex.Due d, Instant now) {
    switch (k.source()) {
      case SECRET -> secrets.get(k.tenant(), d.id()).map(StoredSecret::metadata)
          .filter(m -> sameMillis(m.expireTime(), d.at()))
          .filter(m -> m.revokeTime() == null)
          .filter(m -> k.lead().isZero() ? overlapEnded(k.tenant(), m)
              : m.rotatedTo().isEmpty() && entered(m.expireTime(), k.lead(), m.createTime()))
          .ifPresent(m -> events.publish(notice(k, m.tenantId(), "secrets/" + m.secretId(),
              m.expireTime(), LifecycleNotice.Audience.secret(m))));
      case GRANT -> grants.get(k.tenant(), d.id())
          .filter(g -> g.revokeTime() == null && sameMillis(g.expireTime(), d.at()))
          .filter(g -> k.lead().isZero() || entered(g.expireTime(), k.lead(), g.createTime()))
          .ifPresent(g -> {
            SecretMetadata s = liveSecret(k.tenant(), g, now);
            if (s != null) {
              events.publish(notice(k, g.tenantId(), "grants/" + g.grantId(), g.expireTime(),
                  LifecycleNotice.Audience.grant(s, g.grantee())));
            }
          });
      case REQUEST -> requests.get(k.tenant(), d.id())
          .filter(r -> r.status() == AccessRequest.Status.PENDING)
          .filter(r -> sameMillis(r.decideDeadline(), d.at()))
          .filter(r -> k.lead().isZero()
              || entered(r.decideDeadline(), k.lead(), r.createTime()))
          .ifPresent(r -> secrets.get(k.tenant(), r.secretId()).map(StoredSecret::metadata)
              .ifPresent(s -> events.publish(notice(k, r.tenantId(),
                  "accessRequests/" + r.requestId(), r.decideDeadline(),
                  LifecycleNotice.Audience.request(s, r.requester())))));
    }
  }

  /**
   * Whether a secret's expiry is worth its own notice: always, unless it was rotated away
   * with no overlap (then it expired at the rotation, which ROTATED already announced).
   */
  private boolean overlapEnded(String tenant, SecretMetadata m) {
    return m.rotatedTo().isEmpty() || secrets.get(tenant, m.rotatedTo())
        .map(next -> m.expireTime().isAfter(next.metadata().createTime())).orElse(true);
  }

  /**
   * The grant's secret if a grant on it still means something: the secret exists, was not
   * rotated away (the successor's carried grant speaks for it) and is active now, or, for a
   * grant that has expired, was active until then.
   */
  private SecretMetadata liveSecret(String tenant, Grant g, Instant now) {
    Instant at = now.isBefore(g.expireTime()) ? now : g.expireTime().minusMillis(1);
    return secrets.get(tenant, g.secretId()).map(StoredSecret::metadata)
        .filter(s -> s.rotatedTo().isEmpty() && s.stateAt(at) == SecretState.ACTIVE)
        .orElse(null);
  }

  private static LifecycleNotice notice(ScanKey k, String tenant, String resource,
      Instant expireTime, LifecycleNotice.Audience audience) {
    boolean expired = k.lead().isZero();
    return new LifecycleNotice(expired ? LifecycleNotice.Type.EXPIRED
        : LifecycleNotice.Type.EXPIRY_WARNING, tenant, resource, "", k.lead(), expireTime,
        expireTime.minus(k.lead()), "", audience);
  }

  /** Whether the warning window was entered after the object existed (not born inside it). */
  private static boolean entered(Instant expireTime, Duration lead, Instant createTime) {
    return expireTime.minus(lead).isAfter(createTime);
  }

  private static boolean sameMillis(Instant a, Instant b) {
    return a != null && a.toEpochMilli() == b.toEpochMilli();
  }
}
