package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer access deny REQ_ID --reason R}: DenyAccessRequest. */
@Command(name = "deny", description = "Deny a pending access request, saying why.")
final class AccessDenyCommand extends ClientCommand {

  @Parameters(paramLabel = "REQ_ID", description = "Request id (or accessRequests/ID).")
  String id;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why, 1-500 characters (shown to the requester, audited).")
  String reason;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the request still has ETAG.")
  String etag = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    AccessRequest request =
        client
            .access()
            .denyAccessRequest(
                DenyAccessRequestRequest.newBuilder()
                    .setName(name(ResourceNames::accessRequest, id))
                    .setReason(reason)
                    .setEtag(etag)
                    .build());
    printer.print(request, SharingViews.view(request));
    return ExitCodes.OK;
  }
}
