package dev.coffer.server.service.lifecycle;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.SecretHolder;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.service.kernel.AccessPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One lifecycle notification: a secret, grant or access request entered a warning window
 * before it expires, expired, or changed state by a call. It carries who may hear of it
 * ({@link Audience}, decided by {@link AccessPolicy}) so that the bus can filter per
 * subscriber without reading anything that may since have been deleted.
 *
 * <p>Security: holds names, states and times only; never a value, verifier or token.
 *
 * @param resource {@code secrets/{id}}, {@code grants/{id}} or {@code accessRequests/{id}}
 * @param state for {@link Type#STATE_CHANGED}: the new state (ROTATED, REVOKED, ...); else empty
 * @param leadTime for {@link Type#EXPIRY_WARNING}: the lead time crossed; else {@link Duration#ZERO}
 * @param expireTime the object's expiration (a request's decision deadline), or null
 * @param time when it happened: the crossing instant, or the commit of the change
 * @param successor for a rotation: {@code secrets/{id}} of the successor; else empty
 */
public record LifecycleNotice(Type type, String tenantId, String resource, String state,
    Duration leadTime, Instant expireTime, Instant time, String successor, Audience audience) {

  /** What happened. */
  public enum Type { EXPIRY_WARNING, EXPIRED, STATE_CHANGED }

  public LifecycleNotice {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(audience, "audience");
    state = state == null ? "" : state;
    leadTime = leadTime == null ? Duration.ZERO : leadTime;
    successor = successor == null ? "" : successor;
  }

  /** A state change of a secret, seen by whoever may see its metadata. */
  static LifecycleNotice secretChanged(SecretMetadata m, String state, String successorId,
      Instant at) {
    return new LifecycleNotice(Type.STATE_CHANGED, m.tenantId(), "secrets/" + m.secretId(),
        state, null, m.expireTime(), at,
        successorId == null || successorId.isEmpty() ? "" : "secrets/" + successorId,
        Audience.secret(m));
  }

  static LifecycleNotice grantChanged(Grant g, SecretMetadata secret, String state,
      Instant at) {
    return new LifecycleNotice(Type.STATE_CHANGED, g.tenantId(), "grants/" + g.grantId(), state,
        null, g.expireTime(), at, "", Audience.grant(secret, g.grantee()));
  }

  static LifecycleNotice requestChanged(AccessRequest r, SecretMetadata secret, String state,
      Instant at) {
    return new LifecycleNotice(Type.STATE_CHANGED, r.tenantId(),
        "accessRequests/" + r.requestId(), state, null, r.decideDeadline(), at, "",
        Audience.request(secret, r.requester()));
  }

  /**
   * A token issued for a principal by someone else: state {@code CREDENTIAL_ISSUED}, or
   * {@code CREDENTIAL_ISSUED_TOKENS_REVOKED} when the issuance revoked the target's tokens.
   */
  static LifecycleNotice credentialIssued(Principal target, AccessToken token, int revoked,
      Instant at) {
    return new LifecycleNotice(Type.STATE_CHANGED, target.tenantId(),
        "tokens/" + token.tokenId(),
        revoked > 0 ? "CREDENTIAL_ISSUED_TOKENS_REVOKED" : "CREDENTIAL_ISSUED", null,
        token.expireTime(), at, "",
        new Audience(Audience.Kind.CREDENTIAL, null, target.principalId(), target.owner()));
  }

  /**
   * A trusted issuer whose binding names {@code service}, created by someone else: state
   * {@code SIGN_IN_TRUSTED} on {@code issuers/{id}}. Whoever holds a JWT of that issuer
   * matching the binding can now obtain the service's token, so the service, its owner and
   * the tenant's admins hear of it as they do of a token issued for the service.
   */
  static LifecycleNotice signInTrusted(Principal service, String issuerId, Instant at) {
    return new LifecycleNotice(Type.STATE_CHANGED, service.tenantId(), "issuers/" + issuerId,
        "SIGN_IN_TRUSTED", null, null, at, "",
        new Audience(Audience.Kind.CREDENTIAL, null, service.principalId(), service.owner()));
  }

  /**
   * A tenant's policy replaced by the system administrator: state {@code POLICY_UPDATED}
   * on {@code tenants/{id}}, for the tenant's admins.
   */
  static LifecycleNotice tenantPolicyUpdated(String tenantId, Instant at) {
    return new LifecycleNotice(Type.STATE_CHANGED, tenantId, "tenants/" + tenantId,
        "POLICY_UPDATED", null, null, at, "", new Audience(Audience.Kind.TENANT, null, ""));
  }

  /**
   * Who may hear of a notice, by the rules of {@link AccessPolicy}: a secret's notices go to
   * whoever may see its metadata; a grant's to its grantee and those who govern access to
   * the secret; a request's to its requester and those who may decide it.
   *
   * @param secret the secret concerned as it was when the notice was made; null when it no
   *     longer exists (then only tenant admins and the party hear of a grant or request)
   * @param party the grantee, requester or credential's principal; empty for a secret
   * @param partyOwner a credential's SERVICE principal's owner, who hears of it too; else empty
   */
  public record Audience(Kind kind, SecretMetadata secret, String party, String partyOwner) {

    /** What the notice is about. */
    public enum Kind { SECRET, GRANT, REQUEST, CREDENTIAL, TENANT }

    public Audience(Kind kind, SecretMetadata secret, String party) {
      this(kind, secret, party, "");
    }

    static Audience secret(SecretMetadata m) {
      return new Audience(Kind.SECRET, m, "");
    }

    static Audience grant(SecretMetadata secret, String grantee) {
      return new Audience(Kind.GRANT, secret, grantee);
    }

    static Audience request(SecretMetadata secret, String requester) {
      return new Audience(Kind.REQUEST, secret, requester);
    }

    /**
     * Whether {@code p} may hear of it. Tenant isolation first: a principal of another
     * tenant never does.
     *
     * @param app the secret's application or scope, asked for only when the answer depends
     *     on it
     */
    public boolean admits(Principal p, String noticeTenant, AccessPolicy policy,
        Supplier<? extends SecretHolder> app) {
      if (!p.tenantId().equals(noticeTenant)) {
        return false;
      }
      return switch (kind) {
        case SECRET -> secret != null && (policy.canSee(p, secret, null)
            || policy.canSee(p, secret, app.get()));
        case GRANT, REQUEST -> p.principalId().equals(party) || p.admin()
            || (secret != null && policy.governAccess(p, secret, null).allowed());
        case CREDENTIAL -> p.principalId().equals(party) || p.admin()
            || (!partyOwner.isEmpty() && p.principalId().equals(partyOwner));
        case TENANT -> p.admin();
      };
    }
  }
}
