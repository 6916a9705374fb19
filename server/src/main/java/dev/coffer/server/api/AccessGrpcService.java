package dev.coffer.server.api;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.CancelAccessRequestRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.api.v1.GetAccessRequestRequest;
import dev.coffer.api.v1.ListAccessRequestsRequest;
import dev.coffer.api.v1.ListAccessRequestsResponse;
import dev.coffer.server.service.sharing.AccessRequests;
import dev.coffer.server.service.kernel.FieldRules;
import io.grpc.stub.StreamObserver;
import java.time.Clock;

/** gRPC adapter of {@link AccessRequests}. */
public final class AccessGrpcService extends AccessServiceGrpc.AccessServiceImplBase {

  private static final String REQUESTS = "accessRequests/";

  private final AccessRequests requests;
  private final Clock clock;

  public AccessGrpcService(AccessRequests requests, Clock clock) {
    this.requests = requests;
    this.clock = clock;
  }

  @Override
  public void createAccessRequest(CreateAccessRequestRequest req,
      StreamObserver<AccessRequest> out) {
    UnaryCalls.run(out, ctx -> map(requests.create(ctx,
        FieldRules.resourceId("secret", req.getSecret(), "secrets/"), req.getJustification(),
        ProtoMapper.duration("duration", req.hasDuration(), req.getDuration()))));
  }

  @Override
  public void getAccessRequest(GetAccessRequestRequest req, StreamObserver<AccessRequest> out) {
    UnaryCalls.run(out, ctx -> map(requests.get(ctx, id(req.getName()))));
  }

  @Override
  public void listAccessRequests(ListAccessRequestsRequest req,
      StreamObserver<ListAccessRequestsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = requests.list(ctx, req.getPending(), req.getMine(), req.getPageToken(),
          req.getPageSize());
      var now = clock.instant();
      var b = ListAccessRequestsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(r -> b.addAccessRequests(SharingProtoMapper.request(r, now)));
      return b.build();
    });
  }

  @Override
  public void approveAccessRequest(ApproveAccessRequestRequest req,
      StreamObserver<AccessRequest> out) {
    UnaryCalls.run(out, ctx -> map(requests.approve(ctx, id(req.getName()),
        FieldRules.etag("etag", req.getEtag()))));
  }

  @Override
  public void denyAccessRequest(DenyAccessRequestRequest req, StreamObserver<AccessRequest> out) {
    UnaryCalls.run(out, ctx -> map(requests.deny(ctx, id(req.getName()), req.getReason(),
        FieldRules.etag("etag", req.getEtag()))));
  }

  @Override
  public void cancelAccessRequest(CancelAccessRequestRequest req,
      StreamObserver<AccessRequest> out) {
    UnaryCalls.run(out, ctx -> map(requests.cancel(ctx, id(req.getName()),
        FieldRules.etag("etag", req.getEtag()))));
  }

  private static String id(String name) {
    return FieldRules.resourceId("name", name, REQUESTS);
  }

  private AccessRequest map(dev.coffer.server.domain.AccessRequest r) {
    return SharingProtoMapper.request(r, clock.instant());
  }
}
