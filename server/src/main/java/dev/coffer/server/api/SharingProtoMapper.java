package dev.coffer.server.api;

import com.google.protobuf.util.Durations;
import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.AccessRequestState;
import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.GrantState;
import java.time.Instant;

/** Converts grants and access requests to API messages; neither holds a value. */
final class SharingProtoMapper {

  private SharingProtoMapper() {}

  static Grant grant(dev.coffer.server.domain.Grant g, Instant now) {
    Grant.Builder b = Grant.newBuilder()
        .setName("grants/" + g.grantId())
        .setGrantId(g.grantId())
        .setSecret("secrets/" + g.secretId())
        .setGrantee(g.grantee())
        .setGrantor(g.grantor())
        .setState(switch (g.stateAt(now)) {
          case ACTIVE -> GrantState.GRANT_ACTIVE;
          case EXPIRED -> GrantState.GRANT_EXPIRED;
          case REVOKED -> GrantState.GRANT_REVOKED;
        })
        .setCreateTime(ProtoMapper.timestamp(g.createTime()))
        .setExpireTime(ProtoMapper.timestamp(g.expireTime()))
        .setEtag(g.etag());
    if (g.revokeTime() != null) {
      b.setRevokeTime(ProtoMapper.timestamp(g.revokeTime()));
    }
    if (!g.accessRequestId().isEmpty()) {
      b.setAccessRequest("accessRequests/" + g.accessRequestId());
    }
    return b.build();
  }

  static AccessRequest request(dev.coffer.server.domain.AccessRequest r, Instant now) {
    AccessRequest.Builder b = AccessRequest.newBuilder()
        .setName("accessRequests/" + r.requestId())
        .setRequestId(r.requestId())
        .setSecret("secrets/" + r.secretId())
        .setRequester(r.requester())
        .setJustification(r.justification())
        .setDuration(Durations.fromSeconds(r.duration().getSeconds()))
        .setState(switch (r.stateAt(now)) {
          case PENDING -> AccessRequestState.PENDING;
          case APPROVED -> AccessRequestState.APPROVED;
          case DENIED -> AccessRequestState.DENIED;
          case CANCELLED -> AccessRequestState.CANCELLED;
          case EXPIRED -> AccessRequestState.EXPIRED_UNDECIDED;
        })
        .setCreateTime(ProtoMapper.timestamp(r.createTime()))
        .setDecideDeadline(ProtoMapper.timestamp(r.decideDeadline()))
        .setDecidedBy(r.decidedBy())
        .setDenyReason(r.denyReason())
        .setEtag(r.etag());
    if (r.decideTime() != null) {
      b.setDecideTime(ProtoMapper.timestamp(r.decideTime()));
    }
    if (!r.grantId().isEmpty()) {
      b.setGrant("grants/" + r.grantId());
    }
    return b.build();
  }
}
