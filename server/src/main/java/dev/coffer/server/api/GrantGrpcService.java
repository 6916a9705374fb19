package dev.coffer.server.api;

import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.GetGrantRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.ListGrantsRequest;
import dev.coffer.api.v1.ListGrantsResponse;
import dev.coffer.api.v1.RevokeGrantRequest;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.sharing.Grants;
import io.grpc.stub.StreamObserver;
import java.time.Clock;

/** gRPC adapter of {@link Grants}. */
public final class GrantGrpcService extends GrantServiceGrpc.GrantServiceImplBase {

  private final Grants grants;
  private final Clock clock;

  public GrantGrpcService(Grants grants, Clock clock) {
    this.grants = grants;
    this.clock = clock;
  }

  @Override
  public void createGrant(CreateGrantRequest req, StreamObserver<Grant> out) {
    UnaryCalls.run(out, ctx -> map(grants.create(ctx,
        FieldRules.resourceId("secret", req.getSecret(), "secrets/"), req.getGrantee(),
        req.hasExpireTime() ? ProtoMapper.instant("expire_time", req.getExpireTime()) : null)));
  }

  @Override
  public void getGrant(GetGrantRequest req, StreamObserver<Grant> out) {
    UnaryCalls.run(out, ctx -> map(grants.get(ctx,
        FieldRules.resourceId("name", req.getName(), "grants/"))));
  }

  @Override
  public void listGrants(ListGrantsRequest req, StreamObserver<ListGrantsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      String secretId = req.getSecret().isEmpty() ? ""
          : FieldRules.resourceId("secret", req.getSecret(), "secrets/");
      var page = grants.list(ctx, secretId, req.getPageToken(), req.getPageSize());
      var now = clock.instant();
      var b = ListGrantsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(g -> b.addGrants(SharingProtoMapper.grant(g, now)));
      return b.build();
    });
  }

  @Override
  public void revokeGrant(RevokeGrantRequest req, StreamObserver<Grant> out) {
    UnaryCalls.run(out, ctx -> map(grants.revoke(ctx,
        FieldRules.resourceId("name", req.getName(), "grants/"),
            FieldRules.etag("etag", req.getEtag()))));
  }

  private Grant map(dev.coffer.server.domain.Grant g) {
    return SharingProtoMapper.grant(g, clock.instant());
  }
}
