package dev.coffer.server.domain;

import java.time.Instant;

/**
 * An isolation boundary: nothing of one tenant is visible to another's principals.
 *
 * @param firstSignInTime when any principal of the tenant first authenticated, or null: until
 *     then the system administrator may still issue the tenant's first admin a token
 */
public record Tenant(String tenantId, TenantPolicy policy, Instant createTime,
    Instant firstSignInTime) {

  public Tenant(String tenantId, TenantPolicy policy, Instant createTime) {
    this(tenantId, policy, createTime, null);
  }

  public boolean hasSignedIn() {
    return firstSignInTime != null;
  }

  public Tenant signedInAt(Instant time) {
    return new Tenant(tenantId, policy, createTime, time);
  }

  /** This tenant under {@code newPolicy}; everything else unchanged. */
  public Tenant withPolicy(TenantPolicy newPolicy) {
    return new Tenant(tenantId, newPolicy, createTime, firstSignInTime);
  }
}
