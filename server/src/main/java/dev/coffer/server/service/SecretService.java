package dev.coffer.server.service;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Creates, describes, lists, revokes and deletes secrets. Values are generated, never
 * chosen, and leave only in the create response; everything else returns
 * {@link SecretMetadata}, which cannot hold a value. Secrets a caller may not see are
 * NOT_FOUND, exactly like missing ones and those of other tenants.
 */
public final class SecretService {

  private final SecretRepository secrets;
  private final ApplicationRepository apps;
  private final TenantRepository tenants;
  private final SecretSettings settings;
  private final SecretMinter minter;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final DataKeyShredder shredder;
  private final LifecycleEvents events;

  public SecretService(SecretRepository secrets, ApplicationRepository apps,
      TenantRepository tenants, SecretSettings settings, SecretMinter minter, Governance gov,
      LifecycleEvents events, DataKeyShredder shredder) {
    this.shredder = shredder;
    this.secrets = secrets;
    this.apps = apps;
    this.tenants = tenants;
    this.settings = settings;
    this.minter = minter;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.events = events;
  }

  public SecretMinter.Minted create(CallContext ctx, String clientId, SecretRequest request) {
    Application app = visibleApplication(ctx, "parent", clientId);
    enforcer.require(ctx, policy.manageSecretsOf(ctx.caller(), app), AuditAction.SECRET_CREATE,
        "applications/" + clientId);
    Changes changes = new Changes();
    SecretMinter.Minted minted = prepare(ctx, app, request, changes);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_CREATE,
        "secrets/" + minted.stored().metadata().secretId()));
    return minted;
  }

  /** Validates, mints and stages a secret of {@code app} without committing it. */
  SecretMinter.Minted prepare(CallContext ctx, Application app, SecretRequest request,
      Changes changes) {
    if (app.securityType() != SecurityType.CLIENT_SECRET) {
      throw new CofferException(Reason.UNSUPPORTED_SECURITY_TYPE,
          "application " + app.clientId() + " uses signed JWTs: it holds key pairs, "
              + "not client secrets, and Coffer does not issue those yet");
    }
    Tenant tenant = tenants.tenant(ctx.tenantId()).orElseThrow(() ->
        new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + ctx.tenantId() + " not found"));
    Instant now = clock.instant();
    SecretRequest settled = settings.settle(ctx, request, tenant.policy(), now);
    SecretMinter.Minted minted = minter.mint(ctx.tenantId(), app.clientId(), ctx.actor(),
        settled, now, "");
    secrets.stageCreate(changes, minted.stored());
    return minted;
  }

  public SecretMetadata get(CallContext ctx, String secretId) {
    return visibleSecret(ctx, secretId).metadata();
  }

  /**
   * One page of the secrets the caller may see.
   *
   * @param clientId empty for all applications
   * @param location empty for all locations
   * @param expiringWithin null for no expiry filter; otherwise only active secrets expiring
   *     within it
   * @param sharedOnly only vaulted secrets with sharing enabled
   */
  public Page<SecretMetadata> list(CallContext ctx, String clientId, String location,
      Duration expiringWithin, boolean sharedOnly, String pageToken, int pageSize) {
    Instant now = clock.instant();
    Predicate<SecretMetadata> keep = m -> policy.canSee(ctx.caller(), m,
        apps.get(m.tenantId(), m.clientId()).orElse(null));
    if (sharedOnly) {
      keep = keep.and(SecretMetadata::shared);
    }
    String tenant = ctx.tenantId();
    if (!clientId.isEmpty()) {
      visibleApplication(ctx, "parent", clientId);
      keep = keep.and(m -> m.clientId().equals(clientId));
    }
    LocationPath path = location.isEmpty() ? null : LocationPath.parse("location", location);
    if (path != null) {
      String prefix = path.subtreePrefix();
      keep = keep.and(m -> (m.location() + "/").startsWith(prefix) || path.isRoot());
    }
    if (expiringWithin != null) {
      if (expiringWithin.isNegative() || expiringWithin.isZero()) {
        throw CofferException.invalid("expiring_within", "must be positive");
      }
      Instant until = now.plus(expiringWithin);
      keep = keep.and(m -> m.stateAt(now) == SecretState.ACTIVE
          && m.expireTime() != null && !m.expireTime().isAfter(until));
      return secrets.listByExpiry(tenant, now, pageToken, pageSize, keep);
    }
    if (!clientId.isEmpty()) {
      return secrets.listByApplication(tenant, clientId, pageToken, pageSize, keep);
    }
    if (path != null) {
      return secrets.listByLocation(tenant, path.subtreePrefix(), pageToken, pageSize, keep);
    }
    return secrets.list(tenant, pageToken, pageSize, keep);
  }

  public synchronized SecretMetadata revoke(CallContext ctx, String secretId, String etag) {
    StoredSecret stored = changeable(ctx, secretId, etag, AuditAction.SECRET_REVOKE);
    if (stored.metadata().revokeTime() != null) {
      throw new CofferException(Reason.ALREADY_REVOKED, "secret " + secretId
          + " is already revoked");
    }
    StoredSecret revoked = new StoredSecret(stored.metadata().revokedAt(clock.instant()),
        stored.verifier(), stored.sealed());
    Changes changes = new Changes();
    secrets.stage(changes, revoked);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_REVOKE, "secrets/" + secretId));
    events.secretChanged(revoked.metadata(), "REVOKED", "", revoked.metadata().revokeTime());
    return revoked.metadata();
  }

  /**
   * Deletes the record with its wrapped data key (crypto shredding: the
   * {@link DataKeyShredder} then purges it from storage files); the audit trail stays.
   */
  public synchronized void delete(CallContext ctx, String secretId, String etag) {
    StoredSecret stored = changeable(ctx, secretId, etag, AuditAction.SECRET_DELETE);
    Changes changes = new Changes();
    secrets.stageDelete(changes, stored.metadata());
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_DELETE, "secrets/" + secretId));
    shredder.deleted(stored.metadata());
    events.secretChanged(stored.metadata(), "DELETED", "", clock.instant());
  }

  StoredSecret changeable(CallContext ctx, String secretId, String etag,
      AuditAction action) {
    StoredSecret stored = visibleSecret(ctx, secretId);
    SecretMetadata m = stored.metadata();
    enforcer.require(ctx, policy.changeSecret(ctx.caller(), m,
        apps.get(m.tenantId(), m.clientId()).orElse(null)), action, "secrets/" + secretId);
    if (etag != null && !etag.isEmpty() && !etag.equals(m.etag())) {
      throw new CofferException(Reason.ETAG_MISMATCH,
          "secret " + secretId + " changed since it was read (etag " + m.etag() + ")");
    }
    return stored;
  }

  /** The metadata of a secret of {@code tenantId}, or null; no visibility check. */
  SecretMetadata findMetadata(String tenantId, String secretId) {
    return secrets.get(tenantId, secretId).map(StoredSecret::metadata).orElse(null);
  }

  /** The secret if it exists in the caller's tenant and the caller may see it; else NOT_FOUND. */
  StoredSecret visibleSecret(CallContext ctx, String secretId) {
    FieldRules.opaqueId("name", secretId);
    return secrets.get(ctx.tenantId(), secretId)
        .filter(s -> policy.canSee(ctx.caller(), s.metadata(),
            apps.get(ctx.tenantId(), s.metadata().clientId()).orElse(null)))
        .orElseThrow(() -> new CofferException(Reason.SECRET_NOT_FOUND,
            "secret " + secretId + " not found"));
  }

  private Application visibleApplication(CallContext ctx, String field, String clientId) {
    FieldRules.opaqueId(field, clientId);
    return apps.get(ctx.tenantId(), clientId).filter(a -> policy.canSee(ctx.caller(), a))
        .orElseThrow(() -> new CofferException(Reason.APPLICATION_NOT_FOUND,
            "application " + clientId + " not found"));
  }
}
