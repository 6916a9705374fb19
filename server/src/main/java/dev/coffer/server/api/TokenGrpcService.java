package dev.coffer.server.api;

import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.ListTokensRequest;
import dev.coffer.api.v1.ListTokensResponse;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.directory.Tokens;
import io.grpc.stub.StreamObserver;

/** gRPC adapter of {@link Tokens}. The token value appears only in IssueToken's response. */
public final class TokenGrpcService extends TokenServiceGrpc.TokenServiceImplBase {

  private final Tokens tokens;

  public TokenGrpcService(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void issueToken(IssueTokenRequest req, StreamObserver<IssueTokenResponse> out) {
    UnaryCalls.run(out, ctx -> {
      Tokens.Issued issued = tokens.issue(ctx, req.getTenantId(), req.getPrincipalId(),
          ProtoMapper.duration("ttl", req.hasTtl(), req.getTtl()), req.getDescription());
      try (var value = issued.value()) {
        return IssueTokenResponse.newBuilder()
            .setToken(ProtoMapper.token(issued.token()))
            .setValue(value.reveal())
            .setRevokedTokenCount(issued.revokedTokens())
            .build();
      }
    });
  }

  @Override
  public void listTokens(ListTokensRequest req, StreamObserver<ListTokensResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = tokens.list(ctx, req.getTenantId(), req.getPrincipalId(), req.getPageToken(),
          req.getPageSize());
      var b = ListTokensResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(t -> b.addTokens(ProtoMapper.token(t)));
      return b.build();
    });
  }

  @Override
  public void revokeToken(RevokeTokenRequest req, StreamObserver<AccessToken> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.token(tokens.revoke(ctx,
        FieldRules.resourceId("name", req.getName(), "tokens/"))));
  }
}
