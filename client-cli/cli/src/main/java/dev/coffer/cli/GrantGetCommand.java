package dev.coffer.cli;

import dev.coffer.api.v1.GetGrantRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer grant get GRANT_ID}: GetGrant. */
@Command(name = "get", description = "Show a grant.")
final class GrantGetCommand extends ClientCommand {

  @Parameters(paramLabel = "GRANT_ID", description = "Grant id (or grants/ID).")
  String id;

  @Override
  protected int run(CofferClient client, Printer printer) {
    Grant grant =
        client
            .grants()
            .getGrant(GetGrantRequest.newBuilder().setName(name(ResourceNames::grant, id)).build());
    printer.print(grant, SharingViews.view(grant));
    return ExitCodes.OK;
  }
}
