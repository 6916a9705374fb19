package dev.coffer.server.service.kernel;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretHolder;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.Tenant;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The one place that decides who may do what. Every service asks it; no RPC makes its
 * own ad-hoc check. Tenant isolation comes first: a caller never acts on another
 * tenant's objects, except the system administrator managing tenants, principals and
 * tokens (never secrets). Decisions that depend on time take the clock's reading at the
 * moment of the call.
 */
public final class AccessPolicy {

  /**
   * Creating tenants and replacing a tenant's policy: the system administrator only. A
   * tenant's own admins may not loosen its policy (turn admin-issued user tokens back on,
   * say): that is the insider the policy guards against.
   */
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

  /**
   * Managing the trusted JWT issuers of {@code tenantId} (identity federation): a tenant admin
   * of that tenant, or the system administrator.
   */
  public Decision manageIssuers(Principal caller, String tenantId) {
    if (caller.systemAdmin()) {
      return Decision.ALLOW;
    }
    if (!caller.tenantId().equals(tenantId)) {
      return Decision.deny(Reason.NOT_SYSTEM_ADMIN,
          "only the system administrator manages trusted issuers of another tenant");
    }
    return caller.admin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_ADMIN, "only a tenant admin manages trusted issuers");
  }

  /**
   * Trusting a PEOPLE issuer in {@code tenant}, on top of {@link #manageIssuers}: where the
   * tenant lets people sign in only through their identity provider
   * ({@code federatedUserSignInOnly}), the system administrator alone chooses that provider.
   * Otherwise a tenant admin could register a provider (or inline keys) of their own and sign
   * in as any person of the tenant: the second path to the token for someone else the switch
   * closes.
   */
  public Decision trustPeopleIssuer(Principal caller, Tenant tenant) {
    return !tenant.policy().federatedUserSignInOnly() || caller.systemAdmin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_SYSTEM_ADMIN, "tenant " + tenant.tenantId() + " lets people "
            + "sign in only through its identity provider: only the system administrator "
            + "chooses which providers those are");
  }

  /**
   * Issuing a bearer token for {@code target} of {@code targetTenant}. No silent
   * credentials for someone else:
   * <ul>
   *   <li>for oneself: any principal;
   *   <li>for another principal of the caller's tenant: a tenant admin, or a SERVICE
   *       principal's owner (the service's own tokens only);
   *   <li>inside another tenant: the system administrator only, and only for that
   *       tenant's first admin (a USER admin that has never signed in, in a tenant where
   *       nobody has signed in yet), which is how a new tenant is handed over;
   *   <li>never for a USER of a tenant whose policy has {@code federatedUserSignInOnly},
   *       the caller itself included ({@code FEDERATED_SIGN_IN_REQUIRED}): people of such a
   *       tenant sign in through the identity Login only, which mints its tokens without
   *       asking this rule.
   * </ul>
   * What such an issuance leaves (revoked tokens, audit events, lifecycle notice) is
   * {@link dev.coffer.server.service.directory.Tokens#issue}'s part.
   */
  public Decision issueToken(Principal caller, Principal target, Tenant targetTenant) {
    if (target.kind() == PrincipalKind.USER
        && targetTenant.policy().federatedUserSignInOnly()) {
      return Decision.deny(Reason.FEDERATED_SIGN_IN_REQUIRED, "tenant "
          + targetTenant.tenantId() + " lets people sign in only through its identity "
          + "provider: they run `coffer login`; tokens are issued here for services only");
    }
    boolean sameTenant = caller.tenantId().equals(target.tenantId());
    if (sameTenant && caller.principalId().equals(target.principalId())) {
      return Decision.ALLOW;
    }
    if (!sameTenant) {
      if (!caller.systemAdmin()) {
        return Decision.deny(Reason.NOT_SYSTEM_ADMIN,
            "only the system administrator acts in another tenant");
      }
      boolean handover = !targetTenant.hasSignedIn() && target.admin()
          && target.kind() == PrincipalKind.USER && !target.hasSignedIn();
      return handover ? Decision.ALLOW : Decision.deny(Reason.CROSS_TENANT_CREDENTIAL,
          "the system administrator issues a token in another tenant only to its first admin, "
              + "before anyone in that tenant has signed in; a tenant admin issues the rest");
    }
    if (caller.admin()) {
      return Decision.ALLOW;
    }
    if (target.kind() == PrincipalKind.SERVICE && caller.principalId().equals(target.owner())) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_ADMIN, "only a tenant admin, or a service principal's "
        + "owner for that service, issues tokens for another principal");
  }

  /**
   * Listing a principal's tokens (metadata, never values): the principal itself, a tenant
   * admin, a SERVICE principal's owner, or the system administrator.
   */
  public Decision listTokens(Principal caller, Principal target) {
    boolean sameTenant = caller.tenantId().equals(target.tenantId());
    if (caller.systemAdmin() || (sameTenant && (caller.admin()
        || caller.principalId().equals(target.principalId())
        || (target.kind() == PrincipalKind.SERVICE
            && caller.principalId().equals(target.owner()))))) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_ADMIN,
        "only the principal, its owner or a tenant admin lists its tokens");
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

  /** Registering a scope owned by {@code owner}: admins for anyone, others for themselves. */
  public Decision createScope(Principal caller, String owner) {
    if (caller.admin() || caller.principalId().equals(owner)) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_ADMIN,
        "only a tenant admin registers a scope for another owner");
  }

  /**
   * Managing the secrets of an application or scope: a tenant admin or the holder's owner.
   */
  public Decision manageSecretsOf(Principal caller, SecretHolder holder) {
    if (caller.admin() || caller.principalId().equals(holder.owner())) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_OWNER, "only the "
        + (holder instanceof Application ? "application's" : "scope's")
        + " owner or a tenant admin manages its secrets");
  }

  /**
   * Whether the caller may see a secret's metadata: tenant admins see their whole
   * tenant; others see what they own, what belongs to applications (or scopes) they own,
   * and shared secrets (grants exist only on shared secrets, so grantees see theirs).
   */
  public boolean canSee(Principal caller, SecretMetadata secret, SecretHolder app) {
    if (!caller.tenantId().equals(secret.tenantId())) {
      return false;
    }
    return caller.admin() || secret.shared() || caller.principalId().equals(secret.owner())
        || (app != null && caller.principalId().equals(app.owner()));
  }

  /**
   * Revoking, deleting, rotating or releasing a secret from quarantine: admin, the
   * application's (or scope's) owner, or the secret's owner.
   */
  public Decision changeSecret(Principal caller, SecretMetadata secret, SecretHolder app) {
    if (caller.admin() || caller.principalId().equals(secret.owner())
        || (app != null && caller.principalId().equals(app.owner()))) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_OWNER,
        "only the secret's owner, its application's owner or a tenant admin changes it");
  }

  /**
   * Reading a vaulted value at {@code now}: only a vaulted, active secret, and only by its
   * owner with pre-approval or, when sharing is enabled, by a holder of a grant that is
   * active at {@code now}. Admin rights do not imply read rights.
   *
   * @param grants the caller's grants on this secret, in any state
   */
  public Decision reveal(Principal caller, SecretMetadata secret, List<Grant> grants,
      Instant now) {
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
    if (state == SecretState.QUARANTINED) {
      return Decision.deny(Reason.SECRET_QUARANTINED, "the secret was reported leaked and is "
          + "quarantined: rotate it, then lift the quarantine (coffer secret unquarantine)");
    }
    boolean owner = caller.principalId().equals(secret.owner());
    if (owner && secret.preapproveOwner()) {
      return Decision.ALLOW;
    }
    if (!secret.sharingEnabled() && !owner) {
      return Decision.deny(Reason.NOT_SHARED,
          "the secret is not shared: only its owner reads it, when pre-approved or granted");
    }
    Reason closest = Reason.NO_GRANT;
    for (Grant g : grants) {
      switch (g.stateAt(now)) {
        case ACTIVE:
          return Decision.ALLOW;
        case EXPIRED:
          closest = closest == Reason.NO_GRANT ? Reason.GRANT_EXPIRED : closest;
          break;
        case REVOKED:
          closest = Reason.GRANT_REVOKED;
          break;
        default:
          break;
      }
    }
    return switch (closest) {
      case GRANT_EXPIRED -> Decision.deny(closest, "your grant on this secret has expired");
      case GRANT_REVOKED -> Decision.deny(closest, "your grant on this secret was revoked");
      default -> owner
          ? Decision.deny(Reason.NOT_PREAPPROVED, "the owner is not pre-approved: request "
              + "access, and another principal entitled to decide (" + (secret.sharingEnabled()
                  ? "a tenant admin" : "a tenant admin; the secret is not shared")
              + ") approves it")
          : Decision.deny(Reason.NO_GRANT, "you hold no grant on this secret; request access first");
    };
  }

  /**
   * Whether {@code subject} may be given read access to {@code secret} (by a request, an
   * approval or a direct grant): the secret must be vaulted and active, and shared, or else
   * the subject must be its owner (an owner without pre-approval asks like anyone else, so
   * that no vaulted secret is unreadable by construction).
   */
  public Decision requestAccess(String subject, SecretMetadata secret, Instant now) {
    if (!secret.vaulted()) {
      return Decision.deny(Reason.SHARING_DISABLED,
          "the secret is not vaulted, so it has no readers and access cannot be requested");
    }
    if (!secret.sharingEnabled() && !secret.owner().equals(subject)) {
      return Decision.deny(Reason.SHARING_DISABLED, "the secret's owner has not enabled "
          + "sharing: only the owner may be given access to it");
    }
    if (secret.stateAt(now) != SecretState.ACTIVE) {
      return Decision.deny(Reason.SECRET_NOT_ACTIVE, "the secret is "
          + secret.stateAt(now).name().toLowerCase(Locale.ROOT));
    }
    return Decision.ALLOW;
  }

  /**
   * Deciding who reads a secret (a direct grant, an approval or a denial, with {@code
   * subject} the grantee or requester), or listing its grants ({@code subject} null): its
   * owner or a tenant admin. Two people for every new path to plaintext: nobody decides
   * their own access, admins and owners included; and since the only subject of a secret
   * that is not shared is its owner, only a tenant admin decides there.
   *
   * @param subject the grantee or requester of a decision, else null
   */
  public Decision governAccess(Principal caller, SecretMetadata secret, String subject) {
    if (subject != null && caller.principalId().equals(subject)) {
      return Decision.deny(Reason.SELF_DECISION, "nobody decides their own access: another "
          + "principal entitled to decide (the secret's owner or a tenant admin) must");
    }
    if (caller.admin()) {
      return Decision.ALLOW;
    }
    if (caller.principalId().equals(secret.owner())
        && (subject == null || secret.sharingEnabled())) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_OWNER, secret.sharingEnabled() || subject == null
        ? "only the secret's owner or a tenant admin governs access to it"
        : "the secret is not shared: only a tenant admin decides its owner's access");
  }

  /** Cancelling a request: its requester only. */
  public Decision cancel(Principal caller, AccessRequest request) {
    return caller.principalId().equals(request.requester()) ? Decision.ALLOW
        : Decision.deny(Reason.NOT_REQUESTER, "only the requester cancels a request");
  }

  /** Revoking a grant: the secret's owner, a tenant admin, or the grantee giving it up. */
  public Decision revokeGrant(Principal caller, Grant grant, SecretMetadata secret) {
    if (caller.admin() || caller.principalId().equals(grant.grantee())
        || (secret != null && caller.principalId().equals(secret.owner()))) {
      return Decision.ALLOW;
    }
    return Decision.deny(Reason.NOT_OWNER,
        "only the secret's owner, a tenant admin or the grantee revokes a grant");
  }

  /** Storing an imported credential owned by {@code owner}: admins for anyone, others for themselves. */
  public Decision storeCredential(Principal caller, String owner) {
    return caller.admin() || caller.principalId().equals(owner) ? Decision.ALLOW
        : Decision.deny(Reason.NOT_ADMIN,
            "only a tenant admin stores a credential for another owner");
  }

  /**
   * Listing and exporting the audit events of {@code tenantId}: a tenant admin of that
   * tenant only. The system administrator gets no cross-tenant reading here either.
   */
  public Decision readAudit(Principal caller, String tenantId) {
    if (!caller.tenantId().equals(tenantId)) {
      return Decision.deny(Reason.NOT_ADMIN, "the audit trail is read by its own tenant's admins");
    }
    return caller.admin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_ADMIN, "only a tenant admin reads the audit trail");
  }

  /** Vault administration (status, KEK rotation, backups): the system administrator only. */
  public Decision administerVault(Principal caller) {
    return caller.systemAdmin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_SYSTEM_ADMIN,
            "only the system administrator administers the vault");
  }

  /** Verifying the whole (all-tenant) audit chain: the system administrator only. */
  public Decision verifyAudit(Principal caller) {
    return caller.systemAdmin() ? Decision.ALLOW
        : Decision.deny(Reason.NOT_SYSTEM_ADMIN,
            "only the system administrator verifies the audit chain");
  }
}
