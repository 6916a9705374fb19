package dev.coffer.server.api;

import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.GetPrincipalRequest;
import dev.coffer.api.v1.ListPrincipalsRequest;
import dev.coffer.api.v1.ListPrincipalsResponse;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.service.directory.Principals;
import io.grpc.stub.StreamObserver;

/** gRPC adapter of {@link Principals}. */
public final class PrincipalGrpcService extends PrincipalServiceGrpc.PrincipalServiceImplBase {

  private final Principals principals;

  public PrincipalGrpcService(Principals principals) {
    this.principals = principals;
  }

  @Override
  public void createPrincipal(CreatePrincipalRequest req, StreamObserver<Principal> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.principal(principals.create(ctx, req.getTenantId(),
        req.getPrincipalId(), EnumFields.kind(req.getKind()), req.getAdmin(), req.getOwner())));
  }

  @Override
  public void getPrincipal(GetPrincipalRequest req, StreamObserver<Principal> out) {
    UnaryCalls.run(out, ctx -> {
      String[] parts = req.getName().split("/", -1);
      if (parts.length != 4 || !parts[0].equals("tenants") || !parts[2].equals("principals")) {
        throw CofferException.invalid("name",
            "must have the form tenants/{tenant_id}/principals/{principal_id}");
      }
      return ProtoMapper.principal(principals.get(ctx, parts[1], parts[3]));
    });
  }

  @Override
  public void listPrincipals(ListPrincipalsRequest req,
      StreamObserver<ListPrincipalsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = principals.list(ctx, req.getTenantId(), req.getPageToken(), req.getPageSize());
      var b = ListPrincipalsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(p -> b.addPrincipals(ProtoMapper.principal(p)));
      return b.build();
    });
  }

  @Override
  public void whoAmI(WhoAmIRequest req, StreamObserver<Principal> out) {
    String tokenId = AuthContext.TOKEN_ID.get();
    UnaryCalls.run(out, ctx -> ProtoMapper.principal(ctx.caller()).toBuilder()
        .setTokenId(tokenId == null ? "" : tokenId).build());
  }
}
