package dev.coffer.cli;

import dev.coffer.api.v1.Application;
import dev.coffer.api.v1.ListApplicationsRequest;
import dev.coffer.api.v1.ListApplicationsResponse;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code coffer app list}: ListApplications. */
@Command(name = "list", description = "List the applications of your tenant.")
final class AppListCommand extends ClientCommand {

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    List<ListApplicationsResponse> pages =
        paging.fetch(
            token ->
                client
                    .applications()
                    .listApplications(
                        ListApplicationsRequest.newBuilder()
                            .setPageSize(paging.pageSize())
                            .setPageToken(token)
                            .build()),
            ListApplicationsResponse::getNextPageToken);
    ListApplicationsResponse.Builder all = ListApplicationsResponse.newBuilder();
    pages.forEach(p -> all.addAllApplications(p.getApplicationsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    TextTable table =
        new TextTable("CLIENT ID", "NAME", "ENVIRONMENT", "SECURITY TYPE", "FLOW", "OWNER");
    for (Application a : all.getApplicationsList()) {
      table.row(
          a.getClientId(),
          a.getClientName(),
          a.getEnvironment(),
          a.getSecurityType().name(),
          a.getFlow().name(),
          a.getOwner());
    }
    printer.list(all, table, all.getNextPageToken());
    return ExitCodes.OK;
  }
}
