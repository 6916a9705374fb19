package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.IdGenerator;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.GrantRepository;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rotates a generated secret (a key pair: a new key pair of the same algorithm; a quarantined
 * secret too, which is how a leaked one is replaced): the successor gets the same settings
 * and the same lifetime
 * (capped by the policy), its value is shown once, the old secret stays valid for the
 * overlap only (default none: it expires at once), and the old secret's active grants are
 * carried to the successor — all in one atomic batch with its audit event. Imported
 * credentials cannot be rotated here (their values come from elsewhere).
 */
public final class SecretRotator {

  private static final int MAX_GRANTS_CARRIED = 1000;

  private final Secrets secrets;
  private final SecretRepository secretRepo;
  private final GrantRepository grants;
  private final TenantRepository tenants;
  private final SecretMinter minter;
  private final IdGenerator ids;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final LifecycleEvents events;

  public SecretRotator(Secrets secrets, SecretRepository secretRepo, GrantRepository grants,
      TenantRepository tenants, SecretMinter minter, IdGenerator ids, Governance gov,
      LifecycleEvents events) {
    this.secrets = secrets;
    this.secretRepo = secretRepo;
    this.grants = grants;
    this.tenants = tenants;
    this.minter = minter;
    this.ids = ids;
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.events = events;
  }

  /** @param overlap null or zero: the old secret expires now */
  public SecretMinter.Minted rotate(CallContext ctx, String secretId, Duration overlap,
      String etag) {
    synchronized (secrets) {
      StoredSecret old = secrets.changeable(ctx, secretId, etag, AuditAction.SECRET_ROTATE);
      SecretMetadata m = old.metadata();
      Instant now = clock.instant();
      requireRotatable(m, now);
      Tenant tenant = tenants.tenant(ctx.tenantId()).orElseThrow();
      SecretMinter.Minted next = minter.mint(m.kind(), ctx.tenantId(), m.holderId(),
          ctx.actor(), successorSettings(m, tenant, now), now, secretId,
          m.publicKey() == null ? KeyAlgorithm.ES256 : m.publicKey().algorithm());
      String nextId = next.stored().metadata().secretId();
      Instant oldExpiry = now.plus(overlap == null ? Duration.ZERO : overlap);
      if (m.expireTime() != null && m.expireTime().isBefore(oldExpiry)) {
        oldExpiry = m.expireTime();
      }
      Changes changes = new Changes();
      secretRepo.stageCreate(changes, next.stored());
      SecretMetadata rotated = m.rotatedTo(nextId, oldExpiry);
      secretRepo.stageUpdate(changes, m, old.withMetadata(rotated));
      List<Grant> carried = new ArrayList<>();
      for (Grant g : grants.onSecret(ctx.tenantId(), secretId, MAX_GRANTS_CARRIED)) {
        if (g.stateAt(now) == Grant.State.ACTIVE) {
          carried.add(g.carriedTo(ids.next("grt_"), nextId, now));
          grants.stage(changes, carried.get(carried.size() - 1));
        }
      }
      audit.commit(changes, enforcer.allowed(ctx, AuditAction.SECRET_ROTATE,
          "secrets/" + secretId));
      events.secretChanged(rotated, "ROTATED", nextId, now);
      carried.forEach(g -> events.grantChanged(g, next.stored().metadata(), "GRANTED", now));
      return next;
    }
  }

  private static void requireRotatable(SecretMetadata m, Instant now) {
    if (!m.kind().generated()) {
      throw new CofferException(Reason.NOT_ROTATABLE, "an imported credential cannot be "
          + "rotated by Coffer; store the new value from its identity provider instead");
    }
    if (!m.rotatedTo().isEmpty()) {
      throw new CofferException(Reason.NOT_ROTATABLE,
          "the secret was already rotated to secrets/" + m.rotatedTo());
    }
    SecretState state = m.stateAt(now);
    if (state != SecretState.ACTIVE && state != SecretState.QUARANTINED) {
      throw new CofferException(Reason.SECRET_NOT_ACTIVE, "only an active secret is rotated; "
          + "this one is " + m.stateAt(now).name().toLowerCase(Locale.ROOT));
    }
  }

  private static SecretRequest successorSettings(SecretMetadata m, Tenant tenant, Instant now) {
    Instant expire = null;
    boolean never = m.expireTime() == null && tenant.policy().allowNeverExpire();
    if (!never) {
      Duration lifetime = m.expireTime() == null
          ? SecretSettings.DEFAULT_LIFETIME : Duration.between(m.createTime(), m.expireTime());
      if (lifetime.compareTo(tenant.policy().maxSecretLifetime()) > 0) {
        lifetime = tenant.policy().maxSecretLifetime();
      }
      expire = now.plus(lifetime);
    }
    return SecretRequest.builder().displayName(m.displayName()).description(m.description())
        .expireTime(expire).neverExpires(never).location(m.location()).vaulted(m.vaulted())
        .sharingEnabled(m.sharingEnabled()).owner(m.owner()).preapproveOwner(m.preapproveOwner())
        .build();
  }
}
