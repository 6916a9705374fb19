package dev.coffer.server.api;

import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.DeleteTrustedIssuerRequest;
import dev.coffer.api.v1.GetTrustedIssuerRequest;
import dev.coffer.api.v1.ListTrustedIssuersRequest;
import dev.coffer.api.v1.ListTrustedIssuersResponse;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.server.service.identity.TrustedIssuers;
import io.grpc.stub.StreamObserver;

/**
 * gRPC adapter of {@link TrustedIssuers}: a tenant's trusted JWT issuers, for its admins and
 * the system administrator. Responses hold public material only.
 */
public final class TrustedIssuerGrpcService
    extends TrustedIssuerServiceGrpc.TrustedIssuerServiceImplBase {

  private final TrustedIssuers issuers;

  public TrustedIssuerGrpcService(TrustedIssuers issuers) {
    this.issuers = issuers;
  }

  @Override
  public void createTrustedIssuer(CreateTrustedIssuerRequest req,
      StreamObserver<TrustedIssuer> out) {
    UnaryCalls.run(out, ctx -> IdentityProtoMapper.toProto(issuers.create(ctx,
        req.getTenantId(), IdentityProtoMapper.fromRequest(req.getIssuer()))));
  }

  @Override
  public void getTrustedIssuer(GetTrustedIssuerRequest req, StreamObserver<TrustedIssuer> out) {
    UnaryCalls.run(out, ctx -> IdentityProtoMapper.toProto(issuers.get(ctx, req.getName())));
  }

  @Override
  public void listTrustedIssuers(ListTrustedIssuersRequest req,
      StreamObserver<ListTrustedIssuersResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = issuers.list(ctx, req.getTenantId(), req.getPageToken(), req.getPageSize());
      var b = ListTrustedIssuersResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(i -> b.addIssuers(IdentityProtoMapper.toProto(i)));
      return b.build();
    });
  }

  @Override
  public void deleteTrustedIssuer(DeleteTrustedIssuerRequest req,
      StreamObserver<TrustedIssuer> out) {
    UnaryCalls.run(out, ctx -> IdentityProtoMapper.toProto(issuers.delete(ctx, req.getName())));
  }
}
