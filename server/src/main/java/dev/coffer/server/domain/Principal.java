package dev.coffer.server.domain;

import java.time.Instant;

/**
 * An authenticated identity of one tenant. {@code admin} makes it a tenant admin;
 * {@code systemAdmin} (only the bootstrap admin) may also create tenants and manage
 * principals of other tenants, but never read their secrets nor obtain a credential
 * inside another tenant beyond its first admin before that admin has signed in.
 *
 * @param owner for a SERVICE principal, the USER principal of the same tenant that owns it
 *     (it may issue the service's tokens); empty for a USER
 * @param firstSignInTime when the principal first authenticated, or null if it never has
 */
public record Principal(
    String tenantId,
    String principalId,
    PrincipalKind kind,
    boolean admin,
    boolean systemAdmin,
    Instant createTime,
    String owner,
    Instant firstSignInTime) {

  public Principal {
    owner = owner == null ? "" : owner;
  }

  /** A principal with no owner that has never signed in. */
  public Principal(String tenantId, String principalId, PrincipalKind kind, boolean admin,
      boolean systemAdmin, Instant createTime) {
    this(tenantId, principalId, kind, admin, systemAdmin, createTime, "", null);
  }

  public boolean hasSignedIn() {
    return firstSignInTime != null;
  }

  public Principal signedInAt(Instant time) {
    return new Principal(tenantId, principalId, kind, admin, systemAdmin, createTime, owner,
        time);
  }

  /** {@code tenants/{tenant}/principals/{id}}: names the principal across tenants. */
  public String resourceName() {
    return "tenants/" + tenantId + "/principals/" + principalId;
  }
}
