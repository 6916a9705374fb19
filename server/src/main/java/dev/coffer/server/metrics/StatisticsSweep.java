package dev.coffer.server.metrics;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.AccessRequestRepository;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.SecretRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One pass over the store that tallies the domain figures, resumable in bounded steps:
 * tenants in key order, and for each its secrets (metadata pages from
 * {@link SecretRepository#list}), its grants (a page of GRANTS keys, each read through
 * {@link GrantRepository#get}) and its pending access requests (the pending index through
 * {@link AccessRequestRepository#listPendingInTenant}). Every state is judged at
 * {@code asOf}. Not thread-safe; {@link VaultStatistics} serialises its use.
 *
 * <p>Security: it sees metadata only (the repositories never hand out values or verifiers)
 * and keeps nothing but per-tenant counts and one instant.
 */
final class StatisticsSweep {

  private enum Phase { SECRETS, GRANTS, REQUESTS }

  static final int PAGE = 500;

  private final KvStore store;
  private final SecretRepository secrets;
  private final GrantRepository grants;
  private final AccessRequestRepository requests;
  private final Instant asOf;
  private final Map<String, Tally> tallies = new TreeMap<>();
  private Instant nextExpiry;
  private long recordsRead;

  private byte[] tenantCursor; // last TENANTS key visited
  private String tenant; // the tenant being read, null between tenants
  private Tally tally;
  private Phase phase;
  private String pageToken = "";
  private byte[] grantCursor;
  private boolean done;

  StatisticsSweep(KvStore store, Instant asOf) {
    this.store = store;
    this.secrets = new SecretRepository(store);
    this.grants = new GrantRepository(store);
    this.requests = new AccessRequestRepository(store);
    this.asOf = asOf;
  }

  /**
   * Reads on for about {@code budget} records (at most one page more); true once the whole
   * store has been read.
   */
  boolean advance(int budget) {
    int spent = 0;
    while (!done && spent < budget) {
      spent += step(Math.max(1, Math.min(PAGE, budget - spent)));
    }
    return done;
  }

  /** The figures of a finished sweep. */
  StatisticsSnapshot snapshot() {
    if (!done) {
      throw new IllegalStateException("sweep not finished");
    }
    Map<String, TenantFigures> figures = new TreeMap<>();
    tallies.forEach((id, t) -> figures.put(id, t.figures()));
    return new StatisticsSnapshot(asOf, figures, Optional.ofNullable(nextExpiry), recordsRead);
  }

  /** One page of work of at most {@code n} records; returns its cost (at least 1). */
  private int step(int n) {
    if (tenant == null) {
      return nextTenant();
    }
    int read = switch (phase) {
      case SECRETS -> secretsPage(n);
      case GRANTS -> grantsPage(n);
      case REQUESTS -> requestsPage(n);
    };
    recordsRead += read;
    return Math.max(1, read);
  }

  private int nextTenant() {
    List<KeyValue> next = store.scan(Table.TENANTS, new byte[0], tenantCursor, 1);
    if (next.isEmpty()) {
      done = true;
      return 1;
    }
    tenantCursor = next.get(0).key();
    tenant = Keys.reader(tenantCursor).str();
    tally = tallies.computeIfAbsent(tenant, t -> new Tally());
    phase = Phase.SECRETS;
    pageToken = "";
    return 1;
  }

  private int secretsPage(int n) {
    Page<SecretMetadata> page = secrets.list(tenant, pageToken, n, m -> true);
    page.items().forEach(this::countSecret);
    pageToken = page.nextPageToken();
    if (pageToken.isEmpty()) {
      phase = Phase.GRANTS;
      grantCursor = null;
    }
    return page.items().size();
  }

  private int grantsPage(int n) {
    List<KeyValue> page = store.scan(Table.GRANTS, Keys.builder().str(tenant).build(),
        grantCursor, n);
    for (KeyValue kv : page) {
      Keys.Reader key = Keys.reader(kv.key());
      key.str(); // the tenant
      grants.get(tenant, key.str())
          .filter(g -> g.stateAt(asOf) == Grant.State.ACTIVE)
          .ifPresent(g -> tally.activeGrants++);
      grantCursor = kv.key();
    }
    if (page.size() < n) {
      phase = Phase.REQUESTS;
      pageToken = "";
    }
    return page.size();
  }

  private int requestsPage(int n) {
    Page<AccessRequest> page = requests.listPendingInTenant(tenant, pageToken, n);
    for (AccessRequest r : page.items()) {
      if (r.stateAt(asOf) == AccessRequest.State.PENDING) {
        tally.pendingRequests++;
      }
    }
    pageToken = page.nextPageToken();
    if (pageToken.isEmpty()) {
      tenant = null;
    }
    return page.items().size();
  }

  private void countSecret(SecretMetadata m) {
    SecretState state = m.stateAt(asOf);
    tally.states.merge(state, 1L, Long::sum);
    // A secret already replaced by rotation is meant to expire; its successor is counted.
    if (state != SecretState.ACTIVE || m.expireTime() == null || !m.rotatedTo().isEmpty()) {
      return;
    }
    Duration left = Duration.between(asOf, m.expireTime());
    for (ExpiryWindow window : ExpiryWindow.values()) {
      if (left.compareTo(window.length()) <= 0) {
        tally.expiring.merge(window, 1L, Long::sum);
      }
    }
    if (nextExpiry == null || m.expireTime().isBefore(nextExpiry)) {
      nextExpiry = m.expireTime();
    }
  }

  /** Running counts of one tenant. */
  private static final class Tally {
    final Map<SecretState, Long> states = new EnumMap<>(SecretState.class);
    final Map<ExpiryWindow, Long> expiring = new EnumMap<>(ExpiryWindow.class);
    long activeGrants;
    long pendingRequests;

    TenantFigures figures() {
      return new TenantFigures(states, expiring, activeGrants, pendingRequests);
    }
  }
}
