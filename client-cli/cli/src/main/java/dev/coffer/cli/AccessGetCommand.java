package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.GetAccessRequestRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer access get REQ_ID}: GetAccessRequest. */
@Command(name = "get", description = "Show an access request.")
final class AccessGetCommand extends ClientCommand {

  @Parameters(paramLabel = "REQ_ID", description = "Request id (or accessRequests/ID).")
  String id;

  @Override
  protected int run(CofferClient client, Printer printer) {
    AccessRequest request =
        client
            .access()
            .getAccessRequest(
                GetAccessRequestRequest.newBuilder()
                    .setName(name(ResourceNames::accessRequest, id))
                    .build());
    printer.print(request, SharingViews.view(request));
    return ExitCodes.OK;
  }
}
