package dev.coffer.server.store.records;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Access requests by tenant and id, with indexes kept in the same batch: by requester
 * (always), and while pending, by tenant (for admins), by the secret's owner (for the
 * owner's queue) and by decision deadline (for lifecycle notifications, read as a
 * {@link DueIndex}). Deciding a request removes its pending entries, so pending listings
 * are O(page).
 */
public final class AccessRequestRepository {

  private static final String BY_REQUESTER = "req-who";
  private static final String PENDING_IN_TENANT = "req-pending";
  private static final String PENDING_FOR_OWNER = "req-owner";
  private static final String BY_DEADLINE = "req-deadline";

  private final KvStore store;

  public AccessRequestRepository(KvStore store) {
    this.store = store;
  }

  public Optional<AccessRequest> get(String tenantId, String requestId) {
    return store.get(Table.ACCESS_REQUESTS, key(tenantId, requestId))
        .map(RecordCodec::accessRequest);
  }

  /**
   * Stages the request and its index entries.
   *
   * @param owner the requested secret's owner, for the owner's pending queue
   */
  public void stage(Changes changes, AccessRequest r, String owner) {
    changes.put(Table.ACCESS_REQUESTS, key(r.tenantId(), r.requestId()), RecordCodec.encode(r));
    changes.put(Table.INDEX, Keys.builder().raw(byRequester(r.tenantId(), r.requester()))
        .str(r.requestId()).build(), new byte[0]);
    byte[] inTenant = Keys.builder().raw(pendingInTenant(r.tenantId())).str(r.requestId())
        .build();
    byte[] forOwner = Keys.builder().raw(pendingForOwner(r.tenantId(), owner))
        .str(r.requestId()).build();
    byte[] deadline = DueIndex.key(BY_DEADLINE, r.tenantId(), r.decideDeadline(),
        r.requestId());
    if (r.status() == AccessRequest.Status.PENDING) {
      changes.put(Table.INDEX, inTenant, new byte[0]);
      changes.put(Table.INDEX, forOwner, new byte[0]);
      changes.put(Table.INDEX, deadline, new byte[0]);
    } else {
      changes.delete(Table.INDEX, inTenant);
      changes.delete(Table.INDEX, forOwner);
      changes.delete(Table.INDEX, deadline);
    }
  }

  /** Decision-deadline index entries of pending requests due in {@code (fromExclusive, until]}. */
  public List<DueIndex.Due> dueByDeadline(String tenantId, Instant fromExclusive,
      DueIndex.Due after, Instant until, int limit) {
    return DueIndex.due(store, BY_DEADLINE, tenantId, fromExclusive, after, until, limit);
  }

  public Page<AccessRequest> listByRequester(String tenantId, String requester,
      String pageToken, int size) {
    return page(byRequester(tenantId, requester), tenantId, pageToken, size);
  }

  public Page<AccessRequest> listPendingInTenant(String tenantId, String pageToken, int size) {
    return page(pendingInTenant(tenantId), tenantId, pageToken, size);
  }

  public Page<AccessRequest> listPendingForOwner(String tenantId, String owner,
      String pageToken, int size) {
    return page(pendingForOwner(tenantId, owner), tenantId, pageToken, size);
  }

  private Page<AccessRequest> page(byte[] prefix, String tenantId, String pageToken, int size) {
    return PageScanner.page(store, Table.INDEX, prefix, pageToken, size,
        kv -> get(tenantId, GrantRepository.lastString(kv.key())));
  }

  private static byte[] byRequester(String tenantId, String requester) {
    return Keys.builder().str(BY_REQUESTER).str(tenantId).str(requester).build();
  }

  private static byte[] pendingInTenant(String tenantId) {
    return Keys.builder().str(PENDING_IN_TENANT).str(tenantId).build();
  }

  private static byte[] pendingForOwner(String tenantId, String owner) {
    return Keys.builder().str(PENDING_FOR_OWNER).str(tenantId).str(owner).build();
  }

  private static byte[] key(String tenantId, String requestId) {
    return Keys.builder().str(tenantId).str(requestId).build();
  }
}
