package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer access approve REQ_ID}: ApproveAccessRequest; the server creates the grant in the
 * same batch and the printed request names it.
 */
@Command(name = "approve", description = "Approve a pending access request (creates its grant).")
final class AccessApproveCommand extends ClientCommand {

  @Parameters(paramLabel = "REQ_ID", description = "Request id (or accessRequests/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the request still has ETAG.")
  String etag = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    AccessRequest request =
        client
            .access()
            .approveAccessRequest(
                ApproveAccessRequestRequest.newBuilder()
                    .setName(name(ResourceNames::accessRequest, id))
                    .setEtag(etag)
                    .build());
    printer.print(request, SharingViews.view(request));
    return ExitCodes.OK;
  }
}
