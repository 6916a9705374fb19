package dev.coffer.cli;

import dev.coffer.api.v1.ListGrantsRequest;
import dev.coffer.api.v1.ListGrantsResponse;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer grant list [SECRET_ID]}: ListGrants, on one secret (its owner or a tenant admin),
 * or without an argument the caller's own grants.
 */
@Command(name = "list", description = "List the grants on a secret, or without SECRET_ID your own.")
final class GrantListCommand extends ClientCommand {

  @Parameters(
      paramLabel = "SECRET_ID",
      arity = "0..1",
      description = "Secret id (or secrets/ID); omit it for the grants you hold.")
  String secretId;

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    ListGrantsRequest.Builder request = ListGrantsRequest.newBuilder().setPageSize(paging.pageSize());
    if (secretId != null) {
      request.setSecret(name(ResourceNames::secret, secretId));
    }
    List<ListGrantsResponse> pages =
        paging.fetch(
            token -> client.grants().listGrants(request.setPageToken(token).build()),
            ListGrantsResponse::getNextPageToken);
    ListGrantsResponse.Builder all = ListGrantsResponse.newBuilder();
    pages.forEach(p -> all.addAllGrants(p.getGrantsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    printer.list(all, SharingViews.grants(all.getGrantsList()), all.getNextPageToken());
    return ExitCodes.OK;
  }
}
