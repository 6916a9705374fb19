package dev.coffer.server.api;

import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.ListLocationsRequest;
import dev.coffer.api.v1.ListLocationsResponse;
import dev.coffer.api.v1.Location;
import dev.coffer.api.v1.LocationServiceGrpc;
import dev.coffer.server.service.secrets.Locations;
import io.grpc.stub.StreamObserver;

/** gRPC adapter of {@link Locations}. */
public final class LocationGrpcService extends LocationServiceGrpc.LocationServiceImplBase {

  private final Locations locations;

  public LocationGrpcService(Locations locations) {
    this.locations = locations;
  }

  @Override
  public void createLocation(CreateLocationRequest req, StreamObserver<Location> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.location(locations.create(ctx, req.getPath())));
  }

  @Override
  public void listLocations(ListLocationsRequest req, StreamObserver<ListLocationsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = locations.list(ctx, req.getUnder(), req.getPageToken(), req.getPageSize());
      var b = ListLocationsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(l -> b.addLocations(ProtoMapper.location(l)));
      return b.build();
    });
  }
}
