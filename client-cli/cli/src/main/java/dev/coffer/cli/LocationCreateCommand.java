package dev.coffer.cli;

import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.Location;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer location create PATH}: CreateLocation (missing ancestors too). */
@Command(name = "create", description = "Create a location and any missing ancestors.")
final class LocationCreateCommand extends ClientCommand {

  @Parameters(paramLabel = "PATH", description = "Absolute path, e.g. /Finance/Payments.")
  String path;

  @Override
  protected int run(CofferClient client, Printer printer) {
    Location location =
        client.locations().createLocation(CreateLocationRequest.newBuilder().setPath(path).build());
    printer.print(location, Printer.view(location));
    return ExitCodes.OK;
  }
}
