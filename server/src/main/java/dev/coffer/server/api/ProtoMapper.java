package dev.coffer.server.api;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.Application;
import dev.coffer.api.v1.KeyAlgorithm;
import dev.coffer.api.v1.Location;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.Scope;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretKind;
import dev.coffer.api.v1.SecretState;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.SecretMetadata;
import java.time.Instant;

/**
 * Converts between domain records and API messages. Only metadata types pass through
 * here; there is no conversion that could carry a secret value.
 */
final class ProtoMapper {

  private ProtoMapper() {}

  static Timestamp timestamp(Instant t) {
    return Timestamps.fromMillis(t.toEpochMilli());
  }

  /**
   * The longest duration a request field may carry: 100 years, beyond every sensible
   * policy, and small enough that "now + duration" stays a valid Timestamp and in nanos.
   */
  static final java.time.Duration MAX_DURATION = java.time.Duration.ofDays(36_525);

  /** A Timestamp of the protobuf range (0001-01-01..9999-12-31, nanos 0..999,999,999). */
  static Instant instant(String field, Timestamp t) {
    try {
      Timestamps.checkValid(t);
    } catch (IllegalArgumentException e) {
      throw CofferException.invalid(field, "must be a valid timestamp between 0001-01-01 and "
          + "9999-12-31 with nanos in 0..999999999");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** A positive duration of at most {@link #MAX_DURATION}, or null when unset. */
  static java.time.Duration duration(String field, boolean present, Duration d) {
    if (!present) {
      return null;
    }
    try {
      Durations.checkValid(d);
    } catch (IllegalArgumentException e) {
      throw CofferException.invalid(field, "must be a valid duration: nanos in "
          + "-999999999..999999999 with the sign of seconds, at most 10000 years");
    }
    if (d.getSeconds() < 0 || d.getNanos() < 0 || (d.getSeconds() == 0 && d.getNanos() == 0)) {
      throw CofferException.invalid(field, "must be a positive duration");
    }
    java.time.Duration value = java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    if (value.compareTo(MAX_DURATION) > 0) {
      throw CofferException.invalid(field, "must be at most " + MAX_DURATION.toDays()
          + " days (100 years)");
    }
    return value;
  }

  static Tenant tenant(dev.coffer.server.domain.Tenant t) {
    return Tenant.newBuilder()
        .setName("tenants/" + t.tenantId())
        .setTenantId(t.tenantId())
        .setPolicy(TenantPolicy.newBuilder()
            .setAllowNeverExpire(t.policy().allowNeverExpire())
            .setMaxSecretLifetime(Durations.fromSeconds(t.policy().maxSecretLifetime().getSeconds()))
            .setMaxTokenLifetime(Durations.fromSeconds(t.policy().maxTokenLifetime().getSeconds()))
            .setMaxAccessDuration(Durations.fromSeconds(
                t.policy().maxAccessDuration().getSeconds()))
            .setRequestDecisionWindow(Durations.fromSeconds(
                t.policy().requestDecisionWindow().getSeconds()))
            .setFederatedUserSignInOnly(t.policy().federatedUserSignInOnly()))
        .setCreateTime(timestamp(t.createTime()))
        .build();
  }

  static Principal principal(dev.coffer.server.domain.Principal p) {
    Principal.Builder b = Principal.newBuilder()
        .setName("tenants/" + p.tenantId() + "/principals/" + p.principalId())
        .setTenantId(p.tenantId())
        .setPrincipalId(p.principalId())
        .setKind(p.kind() == dev.coffer.server.domain.PrincipalKind.SERVICE
            ? PrincipalKind.SERVICE : PrincipalKind.USER)
        .setAdmin(p.admin())
        .setSystemAdmin(p.systemAdmin())
        .setCreateTime(timestamp(p.createTime()))
        .setOwner(p.owner());
    if (p.firstSignInTime() != null) {
      b.setFirstSignInTime(timestamp(p.firstSignInTime()));
    }
    return b.build();
  }

  static AccessToken token(dev.coffer.server.domain.AccessToken t) {
    AccessToken.Builder b = AccessToken.newBuilder()
        .setName("tokens/" + t.tokenId())
        .setTokenId(t.tokenId())
        .setTenantId(t.tenantId())
        .setPrincipalId(t.principalId())
        .setCreateTime(timestamp(t.createTime()))
        .setExpireTime(timestamp(t.expireTime()))
        .setDescription(t.description());
    if (t.revokeTime() != null) {
      b.setRevokeTime(timestamp(t.revokeTime()));
    }
    return b.build();
  }

  static Location location(dev.coffer.server.domain.Location l) {
    return Location.newBuilder().setPath(l.path()).setCreateTime(timestamp(l.createTime()))
        .build();
  }

  static Application application(dev.coffer.server.domain.Application a) {
    return Application.newBuilder()
        .setName("applications/" + a.clientId())
        .setClientId(a.clientId())
        .setClientName(a.clientName())
        .setEnvironment(a.environment())
        .setSecurityType(a.securityType() == dev.coffer.server.domain.SecurityType.SIGNED_JWT
            ? SecurityType.SIGNED_JWT : SecurityType.CLIENT_SECRET)
        .setFlow(a.flow() == dev.coffer.server.domain.OAuthFlow.AUTHORIZATION_CODE
            ? OAuthFlow.AUTHORIZATION_CODE : OAuthFlow.CLIENT_CREDENTIALS)
        .setOwner(a.owner())
        .setCreateTime(timestamp(a.createTime()))
        .setEtag("r" + a.revision())
        .build();
  }

  static Secret secret(SecretMetadata m, Instant now) {
    Secret.Builder b = Secret.newBuilder()
        .setName("secrets/" + m.secretId())
        .setSecretId(m.secretId())
        .setClientId(m.holderId())
        .setDisplayName(m.displayName())
        .setDescription(m.description())
        .setLocation(m.location())
        .setVaulted(m.vaulted())
        .setSharingEnabled(m.sharingEnabled())
        .setOwner(m.owner())
        .setPreapproveOwner(m.preapproveOwner())
        .setKind(switch (m.kind()) {
          case CLIENT_SECRET -> SecretKind.CLIENT_SECRET_VALUE;
          case STORED_CREDENTIAL -> SecretKind.STORED_CREDENTIAL;
          case SCOPE_SECRET -> SecretKind.SCOPE_SECRET_VALUE;
          case SIGNING_KEY -> SecretKind.JWT_SIGNING_KEY;
        })
        .setState(switch (m.stateAt(now)) {
          case ACTIVE -> SecretState.ACTIVE;
          case EXPIRED -> SecretState.EXPIRED;
          case REVOKED -> SecretState.REVOKED;
          case QUARANTINED -> SecretState.QUARANTINED;
        })
        .setHint(m.hint())
        .setCreateTime(timestamp(m.createTime()))
        .setCreator(m.creator())
        .setEtag(m.etag())
        .setRotatedFrom(m.rotatedFrom().isEmpty() ? "" : "secrets/" + m.rotatedFrom())
        .setRotatedTo(m.rotatedTo().isEmpty() ? "" : "secrets/" + m.rotatedTo())
        .setExternalClientId(m.externalClientId());
    if (m.ofScope()) {
      b.setParent("scopes/" + m.holderId()).setClientId("");
    } else if (!m.holderId().isEmpty()) {
      b.setParent("applications/" + m.holderId());
    }
    if (m.quarantineTime() != null) {
      b.setQuarantineTime(timestamp(m.quarantineTime()));
    }
    if (m.publicKey() != null) {
      b.setKid(m.publicKey().kid()).setKeyAlgorithm(switch (m.publicKey().algorithm()) {
        case ES256 -> KeyAlgorithm.ES256;
        case RS256 -> KeyAlgorithm.RS256;
      });
    }
    if (m.expireTime() != null) {
      b.setExpireTime(timestamp(m.expireTime()));
    }
    if (m.revokeTime() != null) {
      b.setRevokeTime(timestamp(m.revokeTime()));
    }
    return b.build();
  }

  static Scope scope(dev.coffer.server.domain.Scope s) {
    return Scope.newBuilder()
        .setName("scopes/" + s.scopeId())
        .setScopeId(s.scopeId())
        .setDescription(s.description())
        .setOwner(s.owner())
        .setCreateTime(timestamp(s.createTime()))
        .setEtag(s.etag())
        .build();
  }
}
