package dev.coffer.server.api;

import dev.coffer.api.v1.Application;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.GetApplicationRequest;
import dev.coffer.api.v1.ListApplicationsRequest;
import dev.coffer.api.v1.ListApplicationsResponse;
import dev.coffer.server.service.directory.Applications;
import dev.coffer.server.service.kernel.FieldRules;
import io.grpc.stub.StreamObserver;
import java.time.Clock;

/**
 * gRPC adapter of {@link Applications}. An initial secret's value (or private key)
 * appears only in CreateApplication's response.
 */
public final class ApplicationGrpcService
    extends ApplicationServiceGrpc.ApplicationServiceImplBase {

  private final Applications apps;
  private final Clock clock;

  public ApplicationGrpcService(Applications apps, Clock clock) {
    this.apps = apps;
    this.clock = clock;
  }

  @Override
  public void createApplication(CreateApplicationRequest req,
      StreamObserver<CreateApplicationResponse> out) {
    UnaryCalls.run(out, ctx -> {
      Applications.Created created = apps.create(ctx, req.getClientName(),
          req.getEnvironment(), EnumFields.securityType(req.getSecurityType()),
          EnumFields.flow(req.getFlow()), req.getOwner());
      var b = CreateApplicationResponse.newBuilder()
          .setApplication(ProtoMapper.application(created.application()));
      if (created.initialSecret() != null) {
        try (var initial = created.initialSecret()) {
          b.setInitialSecret(ProtoMapper.secret(initial.stored().metadata(), clock.instant()));
          b.setInitialSecretValue(initial.value().reveal());
          if (initial.privateJwk() != null) {
            b.setInitialPrivateKeyJwk(initial.privateJwk().reveal());
          }
        }
      }
      return b.build();
    });
  }

  @Override
  public void getApplication(GetApplicationRequest req, StreamObserver<Application> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.application(apps.get(ctx,
        FieldRules.resourceId("name", req.getName(), "applications/"))));
  }

  @Override
  public void listApplications(ListApplicationsRequest req,
      StreamObserver<ListApplicationsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = apps.list(ctx, req.getPageToken(), req.getPageSize());
      var b = ListApplicationsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(a -> b.addApplications(ProtoMapper.application(a)));
      return b.build();
    });
  }
}
