package dev.coffer.server.store.records;

import static dev.coffer.server.store.records.EnumCodes.ACCESS_REQUEST_STATUS;
import static dev.coffer.server.store.records.EnumCodes.OAUTH_FLOW;
import static dev.coffer.server.store.records.EnumCodes.PRINCIPAL_KIND;
import static dev.coffer.server.store.records.EnumCodes.SECRET_KIND;
import static dev.coffer.server.store.records.EnumCodes.SECURITY_TYPE;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.Location;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Scope;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.store.records.pb.AccessRequestRec;
import dev.coffer.server.store.records.pb.ApplicationRec;
import dev.coffer.server.store.records.pb.GrantRec;
import dev.coffer.server.store.records.pb.LocationRec;
import dev.coffer.server.store.records.pb.PrincipalRec;
import dev.coffer.server.store.records.pb.ScopeRec;
import dev.coffer.server.store.records.pb.SecretRec;
import dev.coffer.server.store.records.pb.TenantRec;
import dev.coffer.server.store.records.pb.TokenRec;
import java.time.Duration;
import java.time.Instant;

/**
 * Encodes domain records to their storage form (internal protobuf) and back. The
 * storage form of a secret holds only its verifier and sealed value, never plaintext.
 * Enums are written as their {@link EnumCodes} number, never their ordinal.
 */
final class RecordCodec {

  private RecordCodec() {}

  interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  static <T> T parse(Parser<T> parser, byte[] bytes) {
    try {
      return parser.parse(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "stored record is damaged", e);
    }
  }

  static long millis(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }

  static Instant instant(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }

  static byte[] encode(Tenant t) {
    return TenantRec.newBuilder()
        .setTenantId(t.tenantId())
        .setAllowNeverExpire(t.policy().allowNeverExpire())
        .setMaxSecretLifetimeSeconds(t.policy().maxSecretLifetime().getSeconds())
        .setMaxTokenLifetimeSeconds(t.policy().maxTokenLifetime().getSeconds())
        .setCreateTimeMillis(millis(t.createTime()))
        .setMaxAccessDurationSeconds(t.policy().maxAccessDuration().getSeconds())
        .setRequestDecisionWindowSeconds(t.policy().requestDecisionWindow().getSeconds())
        .setFirstSignInTimeMillis(millis(t.firstSignInTime()))
        .setFederatedUserSignInOnly(t.policy().federatedUserSignInOnly())
        .build().toByteArray();
  }

  static Tenant tenant(byte[] bytes) {
    TenantRec r = parse(TenantRec::parseFrom, bytes);
    TenantPolicy defaults = TenantPolicy.defaults();
    return new Tenant(r.getTenantId(),
        new TenantPolicy(r.getAllowNeverExpire(),
            Duration.ofSeconds(r.getMaxSecretLifetimeSeconds()),
            Duration.ofSeconds(r.getMaxTokenLifetimeSeconds()),
            orDefault(r.getMaxAccessDurationSeconds(), defaults.maxAccessDuration()),
            orDefault(r.getRequestDecisionWindowSeconds(), defaults.requestDecisionWindow()),
            r.getFederatedUserSignInOnly()),
        instant(r.getCreateTimeMillis()), instant(r.getFirstSignInTimeMillis()));
  }

  private static Duration orDefault(long seconds, Duration fallback) {
    return seconds == 0 ? fallback : Duration.ofSeconds(seconds);
  }

  static byte[] encode(Principal p) {
    return PrincipalRec.newBuilder()
        .setTenantId(p.tenantId())
        .setPrincipalId(p.principalId())
        .setKind(PRINCIPAL_KIND.code(p.kind()))
        .setAdmin(p.admin())
        .setSystemAdmin(p.systemAdmin())
        .setCreateTimeMillis(millis(p.createTime()))
        .setOwner(p.owner())
        .setFirstSignInTimeMillis(millis(p.firstSignInTime()))
        .build().toByteArray();
  }

  static Principal principal(byte[] bytes) {
    PrincipalRec r = parse(PrincipalRec::parseFrom, bytes);
    return new Principal(r.getTenantId(), r.getPrincipalId(),
        PRINCIPAL_KIND.decode(r.getKind()), r.getAdmin(), r.getSystemAdmin(),
        instant(r.getCreateTimeMillis()), r.getOwner(), instant(r.getFirstSignInTimeMillis()));
  }

  static byte[] encode(AccessToken t) {
    return TokenRec.newBuilder()
        .setTokenId(t.tokenId())
        .setTenantId(t.tenantId())
        .setPrincipalId(t.principalId())
        .setCreateTimeMillis(millis(t.createTime()))
        .setExpireTimeMillis(millis(t.expireTime()))
        .setRevokeTimeMillis(millis(t.revokeTime()))
        .setDescription(t.description())
        .setLookupKey(ByteString.copyFrom(t.lookupKey()))
        .build().toByteArray();
  }

  static AccessToken token(byte[] bytes) {
    TokenRec r = parse(TokenRec::parseFrom, bytes);
    return new AccessToken(r.getTokenId(), r.getTenantId(), r.getPrincipalId(),
        instant(r.getCreateTimeMillis()), instant(r.getExpireTimeMillis()),
        instant(r.getRevokeTimeMillis()), r.getDescription(), r.getLookupKey().toByteArray());
  }

  static byte[] encode(Location l) {
    return LocationRec.newBuilder()
        .setTenantId(l.tenantId())
        .setPath(l.path())
        .setCreateTimeMillis(millis(l.createTime()))
        .build().toByteArray();
  }

  static Location location(byte[] bytes) {
    LocationRec r = parse(LocationRec::parseFrom, bytes);
    return new Location(r.getTenantId(), r.getPath(), instant(r.getCreateTimeMillis()));
  }

  static byte[] encode(Application a) {
    return ApplicationRec.newBuilder()
        .setTenantId(a.tenantId())
        .setClientId(a.clientId())
        .setClientName(a.clientName())
        .setEnvironment(a.environment())
        .setSecurityType(SECURITY_TYPE.code(a.securityType()))
        .setFlow(OAUTH_FLOW.code(a.flow()))
        .setOwner(a.owner())
        .setCreateTimeMillis(millis(a.createTime()))
        .setRevision(a.revision())
        .build().toByteArray();
  }

  static Application application(byte[] bytes) {
    ApplicationRec r = parse(ApplicationRec::parseFrom, bytes);
    return new Application(r.getTenantId(), r.getClientId(), r.getClientName(),
        r.getEnvironment(), SECURITY_TYPE.decode(r.getSecurityType()),
        OAUTH_FLOW.decode(r.getFlow()), r.getOwner(), instant(r.getCreateTimeMillis()),
        r.getRevision());
  }

  static byte[] encode(StoredSecret s) {
    SecretMetadata m = s.metadata();
    SecretRec.Builder b = SecretRec.newBuilder()
        .setTenantId(m.tenantId())
        .setSecretId(m.secretId())
        .setClientId(m.holderId())
        .setDisplayName(m.displayName())
        .setDescription(m.description())
        .setLocation(m.location())
        .setVaulted(m.vaulted())
        .setSharingEnabled(m.sharingEnabled())
        .setOwner(m.owner())
        .setPreapproveOwner(m.preapproveOwner())
        .setKind(SECRET_KIND.code(m.kind()))
        .setHint(m.hint())
        .setCreateTimeMillis(millis(m.createTime()))
        .setExpireTimeMillis(millis(m.expireTime()))
        .setRevokeTimeMillis(millis(m.revokeTime()))
        .setCreator(m.creator())
        .setVersion(m.version())
        .setRevision(m.revision())
        .setVerifier(ByteString.copyFrom(s.verifier()))
        .setRotatedFrom(m.rotatedFrom())
        .setRotatedTo(m.rotatedTo())
        .setExternalClientId(m.externalClientId())
        .setQuarantineTimeMillis(millis(m.quarantineTime()))
        .setLeakLookupKey(ByteString.copyFrom(s.leakLookupKey()));
    if (m.publicKey() != null) {
      b.setKeyAlgorithm(m.publicKey().algorithm().name())
          .setKid(m.publicKey().kid())
          .setPublicJwkSet(m.publicKey().jwkSet());
    }
    if (s.sealed() != null) {
      // The wrapped data key goes to DATA_KEYS (SecretRepository), never into the record.
      b.setCiphertext(ByteString.copyFrom(s.sealed().ciphertext()));
    }
    return b.build().toByteArray();
  }

  static StoredSecret secret(byte[] bytes) {
    SecretRec r = parse(SecretRec::parseFrom, bytes);
    SecretMetadata m = SecretMetadata.builder()
        .tenantId(r.getTenantId()).secretId(r.getSecretId()).holderId(r.getClientId())
        .displayName(r.getDisplayName()).description(r.getDescription())
        .location(r.getLocation()).vaulted(r.getVaulted()).sharingEnabled(r.getSharingEnabled())
        .owner(r.getOwner()).preapproveOwner(r.getPreapproveOwner())
        .kind(SECRET_KIND.decode(r.getKind())).hint(r.getHint())
        .createTime(instant(r.getCreateTimeMillis())).expireTime(instant(r.getExpireTimeMillis()))
        .revokeTime(instant(r.getRevokeTimeMillis())).creator(r.getCreator())
        .version(r.getVersion()).revision(r.getRevision())
        .rotatedFrom(r.getRotatedFrom()).rotatedTo(r.getRotatedTo())
        .externalClientId(r.getExternalClientId())
        .quarantineTime(instant(r.getQuarantineTimeMillis()))
        .publicKey(r.getKeyAlgorithm().isEmpty() ? null : new PublicKeyInfo(
            KeyAlgorithm.valueOf(r.getKeyAlgorithm()), r.getKid(), r.getPublicJwkSet()))
        .build();
    SealedSecret sealed = r.getVaulted()
        ? new SealedSecret(new byte[0], r.getCiphertext().toByteArray())
        : null;
    return new StoredSecret(m, r.getVerifier().toByteArray(), sealed,
        r.getLeakLookupKey().toByteArray());
  }

  static byte[] encode(Scope s) {
    return ScopeRec.newBuilder()
        .setTenantId(s.tenantId())
        .setScopeId(s.scopeId())
        .setDescription(s.description())
        .setOwner(s.owner())
        .setCreateTimeMillis(millis(s.createTime()))
        .setRevision(s.revision())
        .build().toByteArray();
  }

  static Scope scope(byte[] bytes) {
    ScopeRec r = parse(ScopeRec::parseFrom, bytes);
    return new Scope(r.getTenantId(), r.getScopeId(), r.getDescription(), r.getOwner(),
        instant(r.getCreateTimeMillis()), r.getRevision());
  }

  static byte[] encode(Grant g) {
    return GrantRec.newBuilder()
        .setTenantId(g.tenantId())
        .setGrantId(g.grantId())
        .setSecretId(g.secretId())
        .setGrantee(g.grantee())
        .setGrantor(g.grantor())
        .setCreateTimeMillis(millis(g.createTime()))
        .setExpireTimeMillis(millis(g.expireTime()))
        .setRevokeTimeMillis(millis(g.revokeTime()))
        .setAccessRequestId(g.accessRequestId())
        .setRevision(g.revision())
        .build().toByteArray();
  }

  static Grant grant(byte[] bytes) {
    GrantRec r = parse(GrantRec::parseFrom, bytes);
    return new Grant(r.getTenantId(), r.getGrantId(), r.getSecretId(), r.getGrantee(),
        r.getGrantor(), instant(r.getCreateTimeMillis()), instant(r.getExpireTimeMillis()),
        instant(r.getRevokeTimeMillis()), r.getAccessRequestId(), r.getRevision());
  }

  static byte[] encode(AccessRequest a) {
    return AccessRequestRec.newBuilder()
        .setTenantId(a.tenantId())
        .setRequestId(a.requestId())
        .setSecretId(a.secretId())
        .setRequester(a.requester())
        .setJustification(a.justification())
        .setDurationSeconds(a.duration().getSeconds())
        .setStatus(ACCESS_REQUEST_STATUS.code(a.status()))
        .setCreateTimeMillis(millis(a.createTime()))
        .setDecideDeadlineMillis(millis(a.decideDeadline()))
        .setDecidedBy(a.decidedBy())
        .setDecideTimeMillis(millis(a.decideTime()))
        .setDenyReason(a.denyReason())
        .setGrantId(a.grantId())
        .setRevision(a.revision())
        .build().toByteArray();
  }

  static AccessRequest accessRequest(byte[] bytes) {
    AccessRequestRec r = parse(AccessRequestRec::parseFrom, bytes);
    return new AccessRequest(r.getTenantId(), r.getRequestId(), r.getSecretId(),
        r.getRequester(), r.getJustification(), Duration.ofSeconds(r.getDurationSeconds()),
        ACCESS_REQUEST_STATUS.decode(r.getStatus()), instant(r.getCreateTimeMillis()),
        instant(r.getDecideDeadlineMillis()), r.getDecidedBy(), instant(r.getDecideTimeMillis()),
        r.getDenyReason(), r.getGrantId(), r.getRevision());
  }
}
