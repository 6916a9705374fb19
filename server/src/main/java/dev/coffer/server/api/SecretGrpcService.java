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
import dev.coffer.api.v1.UnquarantineSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.secrets.CredentialService;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.secrets.QuarantineService;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretReader;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.service.secrets.SecretRotator;
import dev.coffer.server.service.secrets.Secrets;
import dev.coffer.server.service.secrets.SecretVerifier;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * gRPC adapter of the secret services. Values (for signing keys: private keys, as PEM and
 * JWK) appear only in CreateSecret's and RotateSecret's responses and, for authorized
 * readers, RevealSecret's; a presented value (VerifySecret) is wrapped in a
 * {@link SecretValue} and wiped after the check.
 */
public final class SecretGrpcService extends SecretServiceGrpc.SecretServiceImplBase {

  private static final String SECRETS = "secrets/";

  private final Secrets secrets;
  private final SecretReader reader;
  private final SecretVerifier verifier;
  private final SecretRotator rotator;
  private final CredentialService credentials;
  private final QuarantineService quarantine;
  private final Clock clock;
  private final Executor slowWork;

  /**
   * @param slowWork where work too long for a transport thread runs (key-pair generation in
   *     {@code CreateSecret}); {@code Runnable::run} runs it on the calling thread
   */
  public SecretGrpcService(Secrets secrets, SecretReader reader, SecretVerifier verifier,
      SecretRotator rotator, CredentialService credentials, QuarantineService quarantine,
      Clock clock, Executor slowWork) {
    this.slowWork = slowWork;
    this.quarantine = quarantine;
    this.secrets = secrets;
    this.reader = reader;
    this.verifier = verifier;
    this.rotator = rotator;
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  public void createSecret(CreateSecretRequest req, StreamObserver<CreateSecretResponse> out) {
    UnaryCalls.runAsync(out, ctx -> {
      SecretParent parent = SecretParent.parse("parent", req.getParent());
      SecretRequest request = SecretRequest.builder().displayName(req.getDisplayName())
          .description(req.getDescription())
          .expireTime(req.hasExpireTime()
              ? ProtoMapper.instant("expire_time", req.getExpireTime()) : null)
          .neverExpires(req.hasNeverExpires() && req.getNeverExpires())
          .location(req.getLocation()).vaulted(req.getVaulted())
          .sharingEnabled(req.getSharingEnabled()).owner(req.getOwner())
          .preapproveOwner(req.getPreapproveOwner()).build();
      return secrets.createAsync(ctx, parent, request,
          EnumFields.keyAlgorithm(req.getKeyAlgorithm()), slowWork).thenApply(this::shownOnce);
    });
  }

  @Override
  public void rotateSecret(RotateSecretRequest req, StreamObserver<CreateSecretResponse> out) {
    UnaryCalls.run(out, ctx -> shownOnce(rotator.rotate(ctx,
        FieldRules.resourceId("name", req.getName(), SECRETS),
        ProtoMapper.duration("overlap", req.hasOverlap(), req.getOverlap()),
            FieldRules.etag("etag", req.getEtag()))));
  }

  @Override
  public void storeCredential(StoreCredentialRequest req, StreamObserver<Secret> out) {
    UnaryCalls.run(out, ctx -> {
      SecretRequest request = SecretRequest.builder().displayName(req.getDisplayName())
          .description(req.getDescription())
          .expireTime(req.hasExpireTime()
              ? ProtoMapper.instant("expire_time", req.getExpireTime()) : null)
          .neverExpires(req.hasNeverExpires() && req.getNeverExpires())
          .location(req.getLocation()).vaulted(true)
          .sharingEnabled(req.getSharingEnabled()).owner(req.getOwner())
          .preapproveOwner(req.getPreapproveOwner()).build();
      try (SecretValue value = SecretValue.ofString(req.getValue())) {
        return ProtoMapper.secret(credentials.store(ctx, req.getExternalClientId(), request,
            value).metadata(), clock.instant());
      }
    });
  }

  private CreateSecretResponse shownOnce(SecretMinter.Minted minted) {
    try (minted) {
      CreateSecretResponse.Builder b = CreateSecretResponse.newBuilder()
          .setSecret(ProtoMapper.secret(minted.stored().metadata(), clock.instant()))
          .setValue(minted.value().reveal());
      if (minted.privateJwk() != null) {
        b.setPrivateKeyJwk(minted.privateJwk().reveal());
      }
      return b.build();
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
      SecretParent parent = req.getParent().isEmpty() ? null
          : SecretParent.parse("parent", req.getParent());
      var page = secrets.list(ctx, parent, req.getLocation(),
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
        FieldRules.resourceId("name", req.getName(), SECRETS),
            FieldRules.etag("etag", req.getEtag())), clock.instant()));
  }

  @Override
  public void deleteSecret(DeleteSecretRequest req, StreamObserver<DeleteSecretResponse> out) {
    UnaryCalls.run(out, ctx -> {
      secrets.delete(ctx, FieldRules.resourceId("name", req.getName(), SECRETS),
          FieldRules.etag("etag", req.getEtag()));
      return DeleteSecretResponse.getDefaultInstance();
    });
  }

  @Override
  public void verifySecret(VerifySecretRequest req, StreamObserver<VerifySecretResponse> out) {
    UnaryCalls.run(out, ctx -> {
      boolean byScope = !req.getScope().isEmpty();
      if (byScope && !req.getClientId().isEmpty()) {
        throw CofferException.invalid("scope",
            "set either client_id or scope, not both");
      }
      SecretParent parent = byScope ? SecretParent.ofScope(req.getScope())
          : SecretParent.application(req.getClientId());
      try (SecretValue presented = SecretValue.ofString(req.getValue())) {
        SecretVerifier.Result result = verifier.verify(ctx, parent, presented);
        return VerifySecretResponse.newBuilder()
            .setMatch(result.match())
            .setSecret(result.match() ? SECRETS + result.secretId() : "")
            .build();
      }
    });
  }

  @Override
  public void revealSecret(RevealSecretRequest req, StreamObserver<RevealSecretResponse> out) {
    UnaryCalls.runAsync(out, ctx -> {
      String secretId = FieldRules.resourceId("name", req.getName(), SECRETS);
      return reader.revealForResponseAsync(ctx, secretId).thenApply(opened -> {
        try (SecretReader.Revealed revealed = opened) {
          RevealSecretResponse.Builder b = RevealSecretResponse.newBuilder()
              .setSecret(SECRETS + secretId)
              .setValue(revealed.value().reveal());
          if (revealed.privateJwk() != null) {
            b.setPrivateKeyJwk(revealed.privateJwk().reveal());
          }
          return b.build();
        }
      });
    });
  }

  @Override
  public void unquarantineSecret(UnquarantineSecretRequest req, StreamObserver<Secret> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.secret(quarantine.unquarantine(ctx,
        FieldRules.resourceId("name", req.getName(), SECRETS),
            FieldRules.etag("etag", req.getEtag())), clock.instant()));
  }
}
