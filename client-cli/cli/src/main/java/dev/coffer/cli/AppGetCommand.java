package dev.coffer.cli;

import dev.coffer.api.v1.Application;
import dev.coffer.api.v1.GetApplicationRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer app get CLIENT_ID}: GetApplication. */
@Command(name = "get", description = "Show an application.")
final class AppGetCommand extends ClientCommand {

  @Parameters(paramLabel = "CLIENT_ID", description = "Client id (or applications/CLIENT_ID).")
  String clientId;

  @Override
  protected int run(CofferClient client, Printer printer) {
    Application app =
        client
            .applications()
            .getApplication(
                GetApplicationRequest.newBuilder()
                    .setName(name(ResourceNames::application, clientId))
                    .build());
    printer.print(app, Printer.view(app));
    return ExitCodes.OK;
  }
}
