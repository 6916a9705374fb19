package dev.coffer.server.api;

import dev.coffer.api.v1.AssertionFailure;
import dev.coffer.api.v1.ClientAssertionServiceGrpc;
import dev.coffer.api.v1.GetJwksRequest;
import dev.coffer.api.v1.GetJwksResponse;
import dev.coffer.api.v1.VerifyClientAssertionRequest;
import dev.coffer.api.v1.VerifyClientAssertionResponse;
import dev.coffer.server.service.assertions.AssertionRules;
import dev.coffer.server.service.assertions.ClientAssertions;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.assertions.JwksService;
import io.grpc.stub.StreamObserver;

/**
 * gRPC adapter of {@link ClientAssertions} and {@link JwksService}. A refused assertion is a response
 * ({@code valid = false} and an {@link AssertionFailure}); errors are for malformed
 * requests. A request without audiences is checked against the server's configured ones.
 */
public final class ClientAssertionGrpcService
    extends ClientAssertionServiceGrpc.ClientAssertionServiceImplBase {

  private final ClientAssertions assertions;
  private final JwksService jwks;
  private final AssertionRules defaults;

  public ClientAssertionGrpcService(ClientAssertions assertions, JwksService jwks,
      AssertionRules defaults) {
    this.assertions = assertions;
    this.jwks = jwks;
    this.defaults = defaults;
  }

  @Override
  public void getJwks(GetJwksRequest req, StreamObserver<GetJwksResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var set = jwks.jwks(ctx, FieldRules.resourceId("parent", req.getParent(),
          "applications/"));
      var b = GetJwksResponse.newBuilder().setJwks(set.json());
      set.keyIds().forEach(id -> b.addKeys("secrets/" + id));
      return b.build();
    });
  }

  @Override
  public void verifyClientAssertion(VerifyClientAssertionRequest req,
      StreamObserver<VerifyClientAssertionResponse> out) {
    UnaryCalls.run(out, ctx -> {
      AssertionRules rules = req.getAudiencesList().isEmpty() ? defaults
          : defaults.withAudiences(req.getAudiencesList());
      ClientAssertions.Result r = assertions.verify(ctx, req.getClientId(),
          req.getAssertion(), rules);
      var b = VerifyClientAssertionResponse.newBuilder()
          .setValid(r.valid())
          .setDetail(r.detail())
          .setClientId(r.clientId());
      if (r.valid()) {
        b.setKey("secrets/" + r.keyId()).setKid(r.kid()).setJti(r.jti())
            .setExpireTime(ProtoMapper.timestamp(r.expiration()));
      } else {
        b.setFailure(AssertionFailure.valueOf("ASSERTION_" + r.failure().name()));
      }
      return b.build();
    });
  }
}
