package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The shape shared by {@code coffer access approve|deny|cancel}: one request id, an
 * optional etag, one call that returns the decided request, printed like every request.
 */
abstract class AccessDecisionCommand extends ClientCommand {

  @Parameters(paramLabel = "REQ_ID", description = "Request id (or accessRequests/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the request still has ETAG.")
  String etag = "";

  /** Makes the decision call for the request named {@code name}. */
  protected abstract AccessRequest decide(CofferClient client, String name, String etag);

  @Override
  protected final int run(CofferClient client, Printer printer) {
    AccessRequest request = decide(client, name(ResourceNames::accessRequest, id), etag);
    printer.print(request, SharingViews.view(request));
    return ExitCodes.OK;
  }
}
