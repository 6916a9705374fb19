package dev.coffer.server.store.records;

import static dev.coffer.server.store.records.EnumCodes.ISSUER_PURPOSE;

import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.store.records.pb.ClaimBindingRec;
import dev.coffer.server.store.records.pb.ClaimMatchRec;
import dev.coffer.server.store.records.pb.TrustedIssuerRec;
import java.time.Duration;
import java.util.List;

/**
 * Encodes {@link TrustedIssuer}s to their storage form ({@code TrustedIssuerRec}) and back,
 * like {@link RecordCodec} does for the other records: the purpose as its
 * {@link EnumCodes#ISSUER_PURPOSE} code, never its ordinal; times as epoch millis, durations
 * as seconds. Holds only public material.
 */
final class TrustedIssuerCodec {

  private TrustedIssuerCodec() {}

  static byte[] encode(TrustedIssuer i) {
    TrustedIssuerRec.Builder b = TrustedIssuerRec.newBuilder()
        .setTenantId(i.tenantId())
        .setIssuerId(i.issuerId())
        .setIssuer(i.issuer())
        .setPurpose(ISSUER_PURPOSE.code(i.purpose()))
        .setJwksJson(i.jwksJson())
        .setJwksUri(i.jwksUri())
        .addAllAudiences(i.audiences())
        .addAllAlgorithms(i.algorithms())
        .setMaxTokenLifetimeSeconds(i.maxTokenLifetime().getSeconds())
        .setMaxSessionSeconds(i.maxSession().getSeconds())
        .setClockSkewSeconds(i.clockSkew().getSeconds())
        .setUserClaim(i.userClaim())
        .setCreateUsers(i.createUsers())
        .setClientId(i.clientId())
        .addAllScopes(i.scopes())
        .setCreateTimeMillis(RecordCodec.millis(i.createTime()))
        .setCreator(i.creator());
    for (ClaimBinding binding : i.bindings()) {
      b.addBindings(ClaimBindingRec.newBuilder().addAllClaims(encode(binding.claims()))
          .setPrincipalId(binding.principalId()));
    }
    b.addAllRequiredClaims(encode(i.requiredClaims()));
    return b.build().toByteArray();
  }

  static TrustedIssuer decode(byte[] bytes) {
    TrustedIssuerRec r = RecordCodec.parse(TrustedIssuerRec::parseFrom, bytes);
    return TrustedIssuer.builder()
        .tenantId(r.getTenantId())
        .issuerId(r.getIssuerId())
        .issuer(r.getIssuer())
        .purpose(ISSUER_PURPOSE.decode(r.getPurpose()))
        .jwksJson(r.getJwksJson())
        .jwksUri(r.getJwksUri())
        .audiences(r.getAudiencesList())
        .algorithms(r.getAlgorithmsList())
        .maxTokenLifetime(Duration.ofSeconds(r.getMaxTokenLifetimeSeconds()))
        .maxSession(Duration.ofSeconds(r.getMaxSessionSeconds()))
        .clockSkew(Duration.ofSeconds(r.getClockSkewSeconds()))
        .bindings(r.getBindingsList().stream()
            .map(x -> new ClaimBinding(decode(x.getClaimsList()), x.getPrincipalId())).toList())
        .userClaim(r.getUserClaim())
        .requiredClaims(decode(r.getRequiredClaimsList()))
        .createUsers(r.getCreateUsers())
        .clientId(r.getClientId())
        .scopes(r.getScopesList())
        .createTime(RecordCodec.instant(r.getCreateTimeMillis()))
        .creator(r.getCreator())
        .build();
  }

  private static List<ClaimMatchRec> encode(List<ClaimMatch> matches) {
    return matches.stream().map(m -> ClaimMatchRec.newBuilder().setClaim(m.claim())
        .setEquals(m.equals()).setPattern(m.pattern()).build()).toList();
  }

  private static List<ClaimMatch> decode(List<ClaimMatchRec> recs) {
    return recs.stream().map(m -> new ClaimMatch(m.getClaim(), m.getEquals(), m.getPattern()))
        .toList();
  }
}
