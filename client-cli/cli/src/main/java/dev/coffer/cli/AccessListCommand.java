package dev.coffer.cli;

import dev.coffer.api.v1.ListAccessRequestsRequest;
import dev.coffer.api.v1.ListAccessRequestsResponse;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coffer access list}: ListAccessRequests, your own and those you may decide. */
@Command(
    name = "list",
    description = "List access requests: yours and those you may decide.")
final class AccessListCommand extends ClientCommand {

  @Option(names = "--pending", description = "Only pending requests you may decide.")
  boolean pending;

  @Option(names = "--mine", description = "Only requests you made.")
  boolean mine;

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    ListAccessRequestsRequest.Builder request =
        ListAccessRequestsRequest.newBuilder()
            .setPending(pending)
            .setMine(mine)
            .setPageSize(paging.pageSize());
    List<ListAccessRequestsResponse> pages =
        paging.fetch(
            token -> client.access().listAccessRequests(request.setPageToken(token).build()),
            ListAccessRequestsResponse::getNextPageToken);
    ListAccessRequestsResponse.Builder all = ListAccessRequestsResponse.newBuilder();
    pages.forEach(p -> all.addAllAccessRequests(p.getAccessRequestsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    printer.list(
        all, SharingViews.accessRequests(all.getAccessRequestsList()), all.getNextPageToken());
    return ExitCodes.OK;
  }
}
