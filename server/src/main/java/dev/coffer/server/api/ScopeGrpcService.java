package dev.coffer.server.api;

import dev.coffer.api.v1.CreateScopeRequest;
import dev.coffer.api.v1.GetScopeRequest;
import dev.coffer.api.v1.ListScopesRequest;
import dev.coffer.api.v1.ListScopesResponse;
import dev.coffer.api.v1.Scope;
import dev.coffer.api.v1.ScopeServiceGrpc;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.service.directory.Scopes;
import dev.coffer.server.service.kernel.SecretParent;
import io.grpc.stub.StreamObserver;

/** gRPC adapter of {@link Scopes}. */
public final class ScopeGrpcService extends ScopeServiceGrpc.ScopeServiceImplBase {

  private final Scopes scopes;

  public ScopeGrpcService(Scopes scopes) {
    this.scopes = scopes;
  }

  @Override
  public void createScope(CreateScopeRequest req, StreamObserver<Scope> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.scope(scopes.create(ctx, req.getScopeId(),
        req.getDescription(), req.getOwner())));
  }

  @Override
  public void getScope(GetScopeRequest req, StreamObserver<Scope> out) {
    UnaryCalls.run(out, ctx -> {
      SecretParent parent = SecretParent.parse("name", req.getName());
      if (!parent.scope()) {
        throw CofferException.invalid("name",
            "must have the form scopes/{scope_id}");
      }
      return ProtoMapper.scope(scopes.get(ctx, parent.id()));
    });
  }

  @Override
  public void listScopes(ListScopesRequest req, StreamObserver<ListScopesResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = scopes.list(ctx, req.getPageToken(), req.getPageSize());
      var b = ListScopesResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(s -> b.addScopes(ProtoMapper.scope(s)));
      return b.build();
    });
  }
}
