package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Scope;
import dev.coffer.server.domain.SecretHolder;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.LockStripes;
import dev.coffer.server.service.kernel.SecretHolders;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.service.kernel.VisibilityProbe;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Creates, describes, lists, revokes and deletes secrets of applications and scopes. Values
 * are generated, never chosen, and leave only in the create response (a signed-JWT
 * application gets a key pair, whose private key leaves the same way); everything else
 * returns {@link SecretMetadata}, which cannot hold a value. Secrets a caller may not see are
 * NOT_FOUND, exactly like missing ones and those of other tenants.
 */
public final class Secrets {

  private final SecretRepository secrets;
  private final SecretHolders holders;
  private final TenantRepository tenants;
  private final SecretSettings settings;
  private final SecretMinter minter;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final DataKeyShredder shredder;
  private final LifecycleEvents events;
  private final VisibilityProbe probe;
  /** Serialises revoke and delete per secret (a read-check-write each), not across secrets. */
  private final LockStripes changing = new LockStripes(256);

  public Secrets(SecretRepository secrets, SecretHolders holders,
      TenantRepository tenants, SecretSettings settings, SecretMinter minter, Governance gov,
      LifecycleEvents events, DataKeyShredder shredder) {
    this.shredder = shredder;
    this.secrets = secrets;
    this.holders = holders;
    this.tenants = tenants;
    this.settings = settings;
    this.minter = minter;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.events = events;
    this.probe = new VisibilityProbe(tenants, gov);
  }

  /**
   * A new secret of {@code parent}: a key pair for a signed-JWT application (of
   * {@code algorithm}; null: ES256), a generated value otherwise. Does not wait for the
   * synced write on the calling thread: checks, mints and stages here (a refusal throws
   * here), then returns a future that completes with the new secret once it
   * and its audit event are durable, or exceptionally with nothing written (the value then
   * already closed). A key pair, whose generation can take long (RSA), is made entirely on
   * {@code slowWork} instead.
   */
  public CompletableFuture<SecretMinter.Minted> createAsync(CallContext ctx, SecretParent parent,
      SecretRequest request, KeyAlgorithm algorithm, Executor slowWork) {
    SecretHolder holder = visibleHolder(ctx, "parent", parent);
    if (kindFor(holder) == SecretKind.SIGNING_KEY) {
      return CompletableFuture.supplyAsync(
          () -> commitCreate(stageCreate(ctx, holder, parent, request, algorithm)), slowWork);
    }
    StagedCreate staged = stageCreate(ctx, holder, parent, request, algorithm);
    return audit.commitAsync(staged.changes(), staged.event()).handle((written, failure) -> {
      if (failure != null) {
        staged.minted().close();
        throw failure instanceof CompletionException c ? c : new CompletionException(failure);
      }
      return staged.minted();
    });
  }

  /** A checked, minted and staged creation, with its audit event, not yet committed. */
  private record StagedCreate(SecretMinter.Minted minted, Changes changes, AuditEvent event) {}

  private StagedCreate stageCreate(CallContext ctx, SecretHolder holder, SecretParent parent,
      SecretRequest request, KeyAlgorithm algorithm) {
    enforcer.require(ctx, policy.manageSecretsOf(ctx.caller(), holder), AuditAction.SECRET_CREATE,
        parent.name());
    Changes changes = new Changes();
    SecretMinter.Minted minted = prepare(ctx, holder, request, algorithm, changes);
    return new StagedCreate(minted, changes, enforcer.allowed(ctx, AuditAction.SECRET_CREATE,
        "secrets/" + minted.stored().metadata().secretId()));
  }

  private SecretMinter.Minted commitCreate(StagedCreate staged) {
    audit.commit(staged.changes(), staged.event());
    return staged.minted();
  }

  /**
   * Validates, mints and stages a secret of {@code holder} into {@code changes} without
   * committing or auditing it: the seam through which a service outside this package (an
   * application's first secret, created with the application) creates a secret in its own
   * atomic batch.
   *
   * <p>Contract: the caller has already decided, through the {@link AccessPolicy} and its
   * enforcer, that {@code ctx} may create this secret, and commits {@code changes} together
   * with its own audit event; until it does, nothing is stored. Bad settings throw
   * INVALID_ARGUMENT naming the field before anything is staged.
   *
   * <p>Security: the returned {@link SecretMinter.Minted} holds the only copy of a generated
   * value; the caller hands it out at most once and closes it.
   *
   * @param algorithm the key algorithm of a signed-JWT application's key pair, or null for
   *     the default (any other holder must pass null)
   */
  public SecretMinter.Minted prepare(CallContext ctx, SecretHolder holder, SecretRequest request,
      KeyAlgorithm algorithm, Changes changes) {
    SecretKind kind = kindFor(holder);
    if (algorithm != null && kind != SecretKind.SIGNING_KEY) {
      throw CofferException.invalid("key_algorithm",
          "only a signed-JWT application's secrets are key pairs; leave it unset");
    }
    Tenant tenant = tenants.tenant(ctx.tenantId()).orElseThrow(() ->
        new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + ctx.tenantId() + " not found"));
    Instant now = clock.instant();
    SecretRequest settled = settings.settle(ctx, request, tenant.policy(), now);
    SecretMinter.Minted minted = minter.mint(kind, ctx.tenantId(), holderId(holder),
        ctx.actor(), settled, now, "",
        algorithm == null ? KeyAlgorithm.ES256 : algorithm);
    secrets.stageCreate(changes, minted.stored());
    return minted;
  }

  private static SecretKind kindFor(SecretHolder holder) {
    if (holder instanceof Application app) {
      return app.securityType() == SecurityType.SIGNED_JWT ? SecretKind.SIGNING_KEY
          : SecretKind.CLIENT_SECRET;
    }
    return SecretKind.SCOPE_SECRET;
  }

  private static String holderId(SecretHolder holder) {
    return holder instanceof Application app ? app.clientId()
        : ((Scope) holder).scopeId();
  }

  public SecretMetadata get(CallContext ctx, String secretId) {
    return visibleSecret(ctx, secretId).metadata();
  }


  /**
   * One page of the secrets the caller may see.
   *
   * @param parent null for all applications and scopes
   * @param location empty for all locations
   * @param expiringWithin null for no expiry filter; otherwise only active secrets expiring
   *     within it
   * @param sharedOnly only vaulted secrets with sharing enabled
   */
  public Page<SecretMetadata> list(CallContext ctx, SecretParent parent, String location,
      Duration expiringWithin, boolean sharedOnly, String pageToken, int pageSize) {
    Instant now = clock.instant();
    // A page's secrets mostly share a few holders: read each once per call, not per item.
    Map<String, Optional<SecretHolder>> holderOf = new HashMap<>();
    Predicate<SecretMetadata> keep = m -> policy.canSee(ctx.caller(), m, holderOf.computeIfAbsent(
        (m.ofScope() ? "s/" : "a/") + m.holderId(), k -> Optional.ofNullable(holders.of(m)))
        .orElse(null));
    if (sharedOnly) {
      keep = keep.and(SecretMetadata::shared);
    }
    String tenant = ctx.tenantId();
    if (parent != null) {
      visibleHolder(ctx, "parent", parent);
      keep = keep.and(m -> m.holderId().equals(parent.id()) && m.ofScope() == parent.scope());
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
    if (parent != null) {
      return parent.scope()
          ? secrets.listByScope(tenant, parent.id(), pageToken, pageSize, keep)
          : secrets.listByApplication(tenant, parent.id(), pageToken, pageSize, keep);
    }
    if (path != null) {
      return secrets.listByLocation(tenant, path.subtreePrefix(), pageToken, pageSize, keep);
    }
    return secrets.list(tenant, pageToken, pageSize, keep);
  }

  public SecretMetadata revoke(CallContext ctx, String secretId, String etag) {
    synchronized (changing.of(ctx.tenantId() + "/" + secretId)) {
      StoredSecret stored = changeable(ctx, secretId, etag, AuditAction.SECRET_REVOKE);
      if (stored.metadata().revokeTime() != null) {
        throw new CofferException(Reason.ALREADY_REVOKED, "secret " + secretId
            + " is already revoked");
      }
      StoredSecret revoked = stored.withMetadata(stored.metadata().revokedAt(clock.instant()));
      Changes changes = new Changes();
      secrets.stage(changes, revoked);
      audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_REVOKE,
          "secrets/" + secretId));
      events.secretChanged(revoked.metadata(), "REVOKED", "", revoked.metadata().revokeTime());
      return revoked.metadata();
    }
  }


  /**
   * Deletes the record with its wrapped data key (crypto shredding: the
   * {@link DataKeyShredder} then purges it from storage files); the audit trail stays.
   */
  public void delete(CallContext ctx, String secretId, String etag) {
    synchronized (changing.of(ctx.tenantId() + "/" + secretId)) {
      StoredSecret stored = changeable(ctx, secretId, etag, AuditAction.SECRET_DELETE);
      Changes changes = new Changes();
      secrets.stageDelete(changes, stored);
      audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_DELETE,
          "secrets/" + secretId));
      shredder.deleted(stored.metadata());
      events.secretChanged(stored.metadata(), "DELETED", "", clock.instant());
    }
  }


  StoredSecret changeable(CallContext ctx, String secretId, String etag,
      AuditAction action) {
    StoredSecret stored = visibleSecret(ctx, secretId);
    SecretMetadata m = stored.metadata();
    enforcer.require(ctx, policy.changeSecret(ctx.caller(), m, holders.of(m)), action,
        "secrets/" + secretId);
    if (etag != null && !etag.isEmpty() && !etag.equals(m.etag())) {
      throw new CofferException(Reason.ETAG_MISMATCH,
          "secret " + secretId + " changed since it was read (etag " + m.etag() + ")");
    }
    return stored;
  }

  /**
   * The metadata of secret {@code secretId} of {@code tenantId}, or null if there is none.
   *
   * <p>Contract: no visibility check and no audit. For the sharing services only, after they
   * have found the access request or grant that names the secret visible to the caller (or
   * decided by policy that it may act on it); never to answer a caller's lookup by id, which
   * goes through {@link #visibleSecret}. Security: metadata only, never a value.
   */
  public SecretMetadata findMetadata(String tenantId, String secretId) {
    return secrets.get(tenantId, secretId).map(StoredSecret::metadata).orElse(null);
  }

  /**
   * The secret if it exists in the caller's tenant and the caller may see it; else NOT_FOUND
   * (an existing one is audited as a probe, see {@link VisibilityProbe}). The seam through
   * which reading and sharing resolve a secret a caller names.
   *
   * <p>Contract: INVALID_ARGUMENT naming {@code name} for a malformed id; the same NOT_FOUND
   * whether the secret is missing, invisible to the caller or in another tenant. Security:
   * nothing in a {@link StoredSecret} is a value in the clear; opening a vaulted one is the
   * caller's separate, audited step.
   */
  public StoredSecret visibleSecret(CallContext ctx, String secretId) {
    FieldRules.opaqueId("name", secretId);
    return probe.require(ctx, "secrets/" + secretId, t -> secrets.get(t, secretId),
        s -> policy.canSee(ctx.caller(), s.metadata(), holders.of(s.metadata())),
        () -> new CofferException(Reason.SECRET_NOT_FOUND, "secret " + secretId + " not found"));
  }

  /**
   * The probe every {@code visible*} helper of the secret, application and sharing services
   * goes through: one per vault, so that probe events share one per-caller budget whichever
   * service a caller probes.
   */
  public VisibilityProbe probe() {
    return probe;
  }

  /**
   * The application or scope {@code parent} names, if the caller may see it; else NOT_FOUND.
   * An application of another tenant is audited there as a probe; a scope is not, because
   * scope ids are names chosen per tenant, not unguessable ids (the same name in another
   * tenant is another scope, not evidence of a probe).
   */
  SecretHolder visibleHolder(CallContext ctx, String field, SecretParent parent) {
    if (parent.scope()) {
      FieldRules.scopeId(field, parent.id());
    } else {
      FieldRules.opaqueId(field, parent.id());
      return probe.require(ctx, "applications/" + parent.id(),
          t -> holders.find(t, parent).map(SecretHolder.class::cast),
          h -> h.tenantId().equals(ctx.tenantId()),
          () -> new CofferException(Reason.APPLICATION_NOT_FOUND,
              "application " + parent.id() + " not found"));
    }
    return holders.find(ctx.tenantId(), parent)
        .filter(h -> h.tenantId().equals(ctx.tenantId()))
        .orElseThrow(() -> parent.scope()
            ? new CofferException(Reason.SCOPE_NOT_FOUND, "scope " + parent.id() + " not found")
            : new CofferException(Reason.APPLICATION_NOT_FOUND,
                "application " + parent.id() + " not found"));
  }
}
