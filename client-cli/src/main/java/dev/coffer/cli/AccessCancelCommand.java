package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.CancelAccessRequestRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer access cancel REQ_ID}: CancelAccessRequest, by its requester. */
@Command(name = "cancel", description = "Withdraw your own pending access request.")
final class AccessCancelCommand extends ClientCommand {

  @Parameters(paramLabel = "REQ_ID", description = "Request id (or accessRequests/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the request still has ETAG.")
  String etag = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    AccessRequest request =
        client
            .access()
            .cancelAccessRequest(
                CancelAccessRequestRequest.newBuilder()
                    .setName(name(ResourceNames::accessRequest, id))
                    .setEtag(etag)
                    .build());
    printer.print(request, SharingViews.view(request));
    return ExitCodes.OK;
  }
}
