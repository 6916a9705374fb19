package dev.coffer.server.metrics;

import dev.coffer.server.domain.SecretState;
import java.util.Map;

/**
 * One tenant's figures in a {@link StatisticsSnapshot}: secrets by state, active secrets
 * expiring within each {@link ExpiryWindow}, active grants and pending access requests.
 * Counts only; no identifier of any record.
 */
public record TenantFigures(
    Map<SecretState, Long> secretsByState,
    Map<ExpiryWindow, Long> expiring,
    long activeGrants,
    long pendingRequests) {

  public TenantFigures {
    secretsByState = Map.copyOf(secretsByState);
    expiring = Map.copyOf(expiring);
  }

  public long secrets(SecretState state) {
    return secretsByState.getOrDefault(state, 0L);
  }

  public long expiringWithin(ExpiryWindow window) {
    return expiring.getOrDefault(window, 0L);
  }
}
