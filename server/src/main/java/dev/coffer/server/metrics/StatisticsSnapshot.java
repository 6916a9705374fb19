package dev.coffer.server.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The vault's domain figures as of one complete sweep of the store: per tenant
 * ({@link TenantFigures}), and the soonest expiration of any active secret not already
 * replaced by rotation. Immutable.
 *
 * <p>Security: tenant ids (bounded, admin-created) and counts only; never a secret, grant,
 * request or principal id.
 *
 * @param asOf the instant every state in this snapshot was judged at (the sweep's start)
 * @param nextExpiry empty when no active secret expires
 * @param recordsRead records the sweep read, for judging its cost
 */
public record StatisticsSnapshot(
    Instant asOf,
    Map<String, TenantFigures> tenants,
    Optional<Instant> nextExpiry,
    long recordsRead) {

  public StatisticsSnapshot {
    tenants = Map.copyOf(tenants);
  }

  /** The tenant's figures; all zero for a tenant the sweep did not see. */
  public TenantFigures tenant(String tenantId) {
    return tenants.getOrDefault(tenantId, new TenantFigures(Map.of(), Map.of(), 0, 0));
  }
}
