package dev.coffer.server.api;

import dev.coffer.api.v1.ListLoginIssuersRequest;
import dev.coffer.api.v1.ListLoginIssuersResponse;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginResponse;
import dev.coffer.api.v1.LoginServiceGrpc;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.identity.FederatedLogin;
import dev.coffer.server.service.identity.TrustedIssuers;
import io.grpc.stub.StreamObserver;

/**
 * gRPC adapter of {@link FederatedLogin} and of the public part of {@link TrustedIssuers}.
 * Both methods are open (no bearer token: the caller has none yet, see the auth interceptor);
 * they run on the blocking call pool, so a slow issuer (its key fetch bounded by 2 s
 * timeouts) never holds a transport thread. The Coffer token's value appears only in Login's
 * response; the JWT never leaves this call.
 */
public final class LoginGrpcService extends LoginServiceGrpc.LoginServiceImplBase {

  private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

  private final FederatedLogin login;
  private final TrustedIssuers issuers;

  public LoginGrpcService(FederatedLogin login, TrustedIssuers issuers) {
    this.login = login;
    this.issuers = issuers;
  }

  @Override
  public void login(LoginRequest req, StreamObserver<LoginResponse> out) {
    UnaryCalls.runAnonymous(out, caller -> {
      FederatedLogin.Result result = login.login(new FederatedLogin.Request(req.getTenantId(),
          req.getSubjectToken(), req.getSubjectTokenType(),
          ProtoMapper.duration("ttl", req.hasTtl(), req.getTtl()), req.getDescription(),
          caller.requestId(), caller.remote()));
      try (SecretValue value = result.issued().value()) {
        return LoginResponse.newBuilder()
            .setAccessToken(value.reveal())
            .setIssuedTokenType(ACCESS_TOKEN_TYPE)
            .setToken(ProtoMapper.token(result.issued().token()))
            .setPrincipal(ProtoMapper.principal(result.principal()))
            .setIssuer(result.issuer().resourceName())
            .build();
      }
    });
  }

  @Override
  public void listLoginIssuers(ListLoginIssuersRequest req,
      StreamObserver<ListLoginIssuersResponse> out) {
    UnaryCalls.runAnonymous(out, caller -> {
      var b = ListLoginIssuersResponse.newBuilder();
      issuers.loginIssuers(req.getTenantId())
          .forEach(i -> b.addIssuers(IdentityProtoMapper.loginIssuer(i)));
      return b.build();
    });
  }
}
