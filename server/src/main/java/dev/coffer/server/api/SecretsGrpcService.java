package dev.coffer.server.api;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.DeleteSecretResponse;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.RevokeSecretRequest;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.StoreCredentialRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.CredentialService;
import dev.coffer.server.service.FieldRules;
import dev.coffer.server.service.SecretMinter;
import dev.coffer.server.service.SecretReader;
import dev.coffer.server.service.SecretRequest;
import dev.coffer.server.service.SecretRotator;
import dev.coffer.server.service.SecretService;
import dev.coffer.server.service.SecretVerifier;
import io.grpc.stub.StreamObserver;
import java.time.Clock;

/**
 * gRPC adapter of the secret services. Values appear only in CreateSecret's response and,
 * for authorized readers, RevealSecret's; a presented value (VerifySecret) is wrapped in a
 * {@link SecretValue} and wiped after the check.
 */
public final class SecretsGrpcService extends SecretServiceGrpc.SecretServiceImplBase {

  private static final String SECRETS = "secrets/";
  private static final String APPLICATIONS = "applications/";

  private final SecretService secrets;
  private final SecretReader reader;
  private final SecretVerifier verifier;
  private final SecretRotator rotator;
  private final CredentialService credentials;
  private final Clock clock;

  public SecretsGrpcService(SecretService secrets, SecretReader reader, SecretVerifier verifier,
      SecretRotator rotator, CredentialService credentials, Clock clock) {
    this.secrets = secrets;
    this.reader = reader;
    this.verifier = verifier;
    this.rotator = rotator;
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  public void createSecret(CreateSecretRequest req, StreamObserver<CreateSecretResponse> out) {
    UnaryCalls.run(out, ctx -> {
      String clientId = FieldRules.resourceId("parent", req.getParent(), APPLICATIONS);
      SecretRequest request = new SecretRequest(req.getDisplayName(), req.getDescription(),
          req.hasExpireTime() ? ProtoMapper.instant("expire_time", req.getExpireTime()) : null,
          req.hasNeverExpires() && req.getNeverExpires(), req.getLocation(), req.getVaulted(),
          req.getSharingEnabled(), req.getOwner(), req.getPreapproveOwner());
      return shownOnce(secrets.create(ctx, clientId, request));
    });
  }

  @Override
  public void rotateSecret(RotateSecretRequest req, StreamObserver<CreateSecretResponse> out) {
    UnaryCalls.run(out, ctx -> shownOnce(rotator.rotate(ctx,
        FieldRules.resourceId("name", req.getName(), SECRETS),
        ProtoMapper.duration("overlap", req.hasOverlap(), req.getOverlap()), req.getEtag())));
  }

  @Override
  public void storeCredential(StoreCredentialRequest req, StreamObserver<Secret> out) {
    UnaryCalls.run(out, ctx -> {
      SecretRequest request = new SecretRequest(req.getDisplayName(), req.getDescription(),
          req.hasExpireTime() ? ProtoMapper.instant("expire_time", req.getExpireTime()) : null,
          req.hasNeverExpires() && req.getNeverExpires(), req.getLocation(), true,
          req.getSharingEnabled(), req.getOwner(), req.getPreapproveOwner());
      try (SecretValue value = SecretValue.ofString(req.getValue())) {
        return ProtoMapper.secret(credentials.store(ctx, req.getExternalClientId(), request,
            value).metadata(), clock.instant());
      }
    });
  }

  private CreateSecretResponse shownOnce(SecretMinter.Minted minted) {
    try (SecretValue value = minted.value()) {
      return CreateSecretResponse.newBuilder()
          .setSecret(ProtoMapper.secret(minted.stored().metadata(), clock.instant()))
          .setValue(value.reveal())
          .build();
    }
  }

  @Override
  public void getSecret(GetSecretRequest req, StreamObserver<Secret> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.secret(
        secrets.get(ctx, FieldRules.resourceId("name", req.getName(), SECRETS)), clock.instant()));
  }

  @Override
  public void listSecrets(ListSecretsRequest req, StreamObserver<ListSecretsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      String clientId = req.getParent().isEmpty() ? ""
          : FieldRules.resourceId("parent", req.getParent(), APPLICATIONS);
      var page = secrets.list(ctx, clientId, req.getLocation(),
          ProtoMapper.duration("expiring_within", req.hasExpiringWithin(),
              req.getExpiringWithin()),
          req.getShared(), req.getPageToken(), req.getPageSize());
      var now = clock.instant();
      var b = ListSecretsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(m -> b.addSecrets(ProtoMapper.secret(m, now)));
      return b.build();
    });
  }

  @Override
  public void revokeSecret(RevokeSecretRequest req, StreamObserver<Secret> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.secret(secrets.revoke(ctx,
        FieldRules.resourceId("name", req.getName(), SECRETS), req.getEtag()), clock.instant()));
  }

  @Override
  public void deleteSecret(DeleteSecretRequest req, StreamObserver<DeleteSecretResponse> out) {
    UnaryCalls.run(out, ctx -> {
      secrets.delete(ctx, FieldRules.resourceId("name", req.getName(), SECRETS), req.getEtag());
      return DeleteSecretResponse.getDefaultInstance();
    });
  }

  @Override
  public void verifySecret(VerifySecretRequest req, StreamObserver<VerifySecretResponse> out) {
    UnaryCalls.run(out, ctx -> {
      try (SecretValue presented = SecretValue.ofString(req.getValue())) {
        SecretVerifier.Result result = verifier.verify(ctx, req.getClientId(), presented);
        return VerifySecretResponse.newBuilder()
            .setMatch(result.match())
            .setSecret(result.match() ? SECRETS + result.secretId() : "")
            .build();
      }
    });
  }

  @Override
  public void revealSecret(RevealSecretRequest req, StreamObserver<RevealSecretResponse> out) {
    UnaryCalls.run(out, ctx -> {
      String secretId = FieldRules.resourceId("name", req.getName(), SECRETS);
      try (SecretValue value = reader.reveal(ctx, secretId)) {
        return RevealSecretResponse.newBuilder()
            .setSecret(SECRETS + secretId)
            .setValue(value.reveal())
            .build();
      }
    });
  }
}
