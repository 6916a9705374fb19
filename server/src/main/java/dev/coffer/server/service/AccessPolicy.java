package dev.coffer.server.service;

import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import java.time.Instant;

/**
 * The one place that decides who may do what. Every service asks it; no RPC makes its
 * own ad-hoc check. Tenant isolation comes first: a caller never acts on another
 * tenant's objects, except the system administrator managing tenants, principals and
 * tokens (never secrets). Decisions that depend on time take the clock's reading at the
 * moment of the call.
 */
public final class AccessPolicy {

  /** Creating tenants: the system administrator only. */
  public Decision manageTenants(Principal caller) {
    return caller.systemAdmin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_SYSTEM_ADMIN, "only the system administrator manages tenants");
  }

  /** Managing principals and their tokens in {@code tenantId}. */
  public Decision managePrincipals(Principal caller, String tenantId) {
    if (caller.systemAdmin()) {
      return Decision.ALLOW;
    }
    if (!caller.tenantId().equals(tenantId)) {
      return Decision.deny(Reason.NOT_SYSTEM_ADMIN,
          "only the system administrator manages principals of another tenant");
    }
    return caller.admin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_ADMIN, "only a tenant admin manages principals and tokens");
  }

  /** Creating locations of the caller's tenant. */
  public Decision manageLocations(Principal caller) {
    return caller.admin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_ADMIN, "only a tenant admin creates locations");
  }

  /** Registering an application owned by {@code owner}: admins for anyone, others for themselves. */
  public Decision createApplication(Principal caller, String owner) {
    if (caller.admin() || caller.principalId().equals(owner)) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_ADMIN,
        "only a tenant admin registers an application for another owner");
  }

  /** Whether the caller may see an application at all (else it is NOT_FOUND to them). */
  public boolean canSee(Principal caller, Application app) {
    return caller.tenantId().equals(app.tenantId());
  }

  /** Managing an application's secrets: a tenant admin or the application's owner. */
  public Decision manageSecretsOf(Principal caller, Application app) {
    if (caller.admin() || caller.principalId().equals(app.owner())) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_OWNER,
        "only the application's owner or a tenant admin manages its secrets");
  }

  /**
   * Whether the caller may see a secret's metadata: tenant admins see their whole
   * tenant; others see what they own or what belongs to applications they own.
   */
  public boolean canSee(Principal caller, SecretMetadata secret, Application app) {
    if (!caller.tenantId().equals(secret.tenantId())) {
      return false;
    }
    return caller.admin() || caller.principalId().equals(secret.owner())
        || (app != null && caller.principalId().equals(app.owner()));
  }

  /** Revoking or deleting a secret: admin, the application's owner, or the secret's owner. */
  public Decision changeSecret(Principal caller, SecretMetadata secret, Application app) {
    if (caller.admin() || caller.principalId().equals(secret.owner())
        || (app != null && caller.principalId().equals(app.owner()))) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_OWNER,
        "only the secret's owner, its application's owner or a tenant admin changes it");
  }

  /**
   * Reading a vaulted value at {@code now}: only a vaulted, active secret, and only by its
   * owner with pre-approval. Admin rights do not imply read rights.
   */
  public Decision reveal(Principal caller, SecretMetadata secret, Instant now) {
    if (!secret.vaulted()) {
      return Decision.deny(Reason.NOT_VAULTED,
          "the secret is not vaulted: its value was shown once at creation and is not kept");
    }
    SecretState state = secret.stateAt(now);
    if (state == SecretState.REVOKED) {
      return Decision.deny(Reason.SECRET_REVOKED, "the secret is revoked");
    }
    if (state == SecretState.EXPIRED) {
      return Decision.deny(Reason.SECRET_EXPIRED, "the secret has expired");
    }
    if (!caller.principalId().equals(secret.owner())) {
      return Decision.deny(Reason.NOT_OWNER,
          "only the owner with pre-approval, or a holder of an active grant, reads this secret");
    }
    if (!secret.preapproveOwner()) {
      return Decision.deny(Reason.NOT_PREAPPROVED,
          "the owner is not pre-approved to read this secret; it needs a grant");
    }
    return Decision.ALLOW;
  }
}
