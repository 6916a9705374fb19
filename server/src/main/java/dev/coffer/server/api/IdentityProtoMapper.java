package dev.coffer.server.api;

import dev.coffer.api.v1.ClaimBinding;
import dev.coffer.api.v1.ClaimMatch;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.LoginIssuer;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.server.domain.CofferException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps trusted issuers between the wire API ({@code coffer.v1} identity messages) and the
 * domain. Requests: an unknown purpose number is INVALID_ARGUMENT naming the field; the
 * settings themselves are checked by the service. Responses hold public material only.
 */
final class IdentityProtoMapper {

  private IdentityProtoMapper() {}

  /** The issuer settings of a create request; name, tenant, time and creator are ignored. */
  static dev.coffer.server.domain.TrustedIssuer fromRequest(TrustedIssuer p) {
    return dev.coffer.server.domain.TrustedIssuer.builder()
        .issuerId(p.getIssuerId())
        .issuer(p.getIssuer())
        .purpose(purpose(p.getPurpose()))
        .jwksJson(p.getJwksJson())
        .jwksUri(p.getJwksUri())
        .audiences(p.getAudiencesList())
        .algorithms(p.getAlgorithmsList())
        .maxTokenLifetime(ProtoMapper.duration("issuer.max_token_lifetime",
            p.hasMaxTokenLifetime(), p.getMaxTokenLifetime()))
        .maxSession(ProtoMapper.duration("issuer.max_session", p.hasMaxSession(),
            p.getMaxSession()))
        .clockSkew(ProtoMapper.duration("issuer.clock_skew", p.hasClockSkew(),
            p.getClockSkew()))
        .bindings(bindings(p.getBindingsList()))
        .userClaim(p.getUserClaim())
        .requiredClaims(matches(p.getRequiredClaimsList()))
        .createUsers(p.getCreateUsers())
        .clientId(p.getClientId())
        .scopes(p.getScopesList())
        .build();
  }

  static TrustedIssuer toProto(dev.coffer.server.domain.TrustedIssuer i) {
    TrustedIssuer.Builder b = TrustedIssuer.newBuilder()
        .setName(i.resourceName())
        .setTenantId(i.tenantId())
        .setIssuerId(i.issuerId())
        .setIssuer(i.issuer())
        .setPurpose(i.purpose() == dev.coffer.server.domain.IssuerPurpose.WORKLOADS
            ? IssuerPurpose.WORKLOADS : IssuerPurpose.PEOPLE)
        .setJwksJson(i.jwksJson())
        .setJwksUri(i.jwksUri())
        .addAllAudiences(i.audiences())
        .addAllAlgorithms(i.algorithms())
        .setMaxTokenLifetime(duration(i.maxTokenLifetime()))
        .setMaxSession(duration(i.maxSession()))
        .setClockSkew(duration(i.clockSkew()))
        .setUserClaim(i.userClaim())
        .setCreateUsers(i.createUsers())
        .setClientId(i.clientId())
        .addAllScopes(i.scopes())
        .setCreator(i.creator());
    if (i.createTime() != null) {
      b.setCreateTime(ProtoMapper.timestamp(i.createTime()));
    }
    for (dev.coffer.server.domain.ClaimBinding binding : i.bindings()) {
      ClaimBinding.Builder pb = ClaimBinding.newBuilder().setPrincipalId(binding.principalId());
      binding.claims().forEach(m -> pb.addClaims(match(m)));
      b.addBindings(pb);
    }
    i.requiredClaims().forEach(m -> b.addRequiredClaims(match(m)));
    return b.build();
  }

  /** The public facts a CLI needs to start a person's sign-in. */
  static LoginIssuer loginIssuer(dev.coffer.server.domain.TrustedIssuer i) {
    return LoginIssuer.newBuilder().setIssuerId(i.issuerId()).setIssuer(i.issuer())
        .setClientId(i.clientId()).addAllScopes(i.scopes()).build();
  }

  private static dev.coffer.server.domain.IssuerPurpose purpose(IssuerPurpose purpose) {
    return switch (purpose) {
      case WORKLOADS -> dev.coffer.server.domain.IssuerPurpose.WORKLOADS;
      case PEOPLE -> dev.coffer.server.domain.IssuerPurpose.PEOPLE;
      case ISSUER_PURPOSE_UNSPECIFIED -> null;
      case UNRECOGNIZED -> throw CofferException.invalid("issuer.purpose", "is not a known value");
    };
  }

  private static List<dev.coffer.server.domain.ClaimBinding> bindings(List<ClaimBinding> in) {
    List<dev.coffer.server.domain.ClaimBinding> out = new ArrayList<>();
    for (ClaimBinding b : in) {
      out.add(new dev.coffer.server.domain.ClaimBinding(matches(b.getClaimsList()),
          b.getPrincipalId()));
    }
    return out;
  }

  private static List<dev.coffer.server.domain.ClaimMatch> matches(List<ClaimMatch> in) {
    return in.stream().map(m -> new dev.coffer.server.domain.ClaimMatch(m.getClaim(),
        m.getEquals(), m.getPattern())).toList();
  }

  private static com.google.protobuf.Duration duration(java.time.Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds())
        .setNanos(d.getNano()).build();
  }

  private static ClaimMatch match(dev.coffer.server.domain.ClaimMatch m) {
    ClaimMatch.Builder b = ClaimMatch.newBuilder().setClaim(m.claim());
    if (!m.pattern().isEmpty()) {
      b.setPattern(m.pattern());
    } else {
      b.setEquals(m.equals());
    }
    return b.build();
  }
}
