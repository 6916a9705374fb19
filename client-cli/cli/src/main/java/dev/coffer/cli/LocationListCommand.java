package dev.coffer.cli;

import dev.coffer.api.v1.ListLocationsRequest;
import dev.coffer.api.v1.ListLocationsResponse;
import dev.coffer.api.v1.Location;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coffer location list}: ListLocations. */
@Command(name = "list", description = "List locations, optionally under one path.")
final class LocationListCommand extends ClientCommand {

  @Option(names = "--under", paramLabel = "PATH", description = "Only this location and below.")
  String under = "";

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    List<ListLocationsResponse> pages =
        paging.fetch(
            token ->
                client
                    .locations()
                    .listLocations(
                        ListLocationsRequest.newBuilder()
                            .setUnder(under)
                            .setPageSize(paging.pageSize())
                            .setPageToken(token)
                            .build()),
            ListLocationsResponse::getNextPageToken);
    ListLocationsResponse.Builder all = ListLocationsResponse.newBuilder();
    pages.forEach(p -> all.addAllLocations(p.getLocationsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    TextTable table = new TextTable("PATH", "CREATED");
    for (Location l : all.getLocationsList()) {
      table.row(l.getPath(), Printer.time(l.getCreateTime()));
    }
    printer.list(all, table, all.getNextPageToken());
    return ExitCodes.OK;
  }
}
