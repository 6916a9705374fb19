package dev.coffer.cli;

import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsResponse;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code coffer audit list}: ListAuditEvents, the caller's own tenant's events oldest first
 * (tenant admins), one page or {@code --all}.
 */
@Command(
    name = "list",
    description = "List your tenant's audit events, oldest first (tenant admins only).")
final class AuditListCommand extends ClientCommand {

  @Mixin AuditFilterOptions filter;

  @Mixin PageOptions paging;

  private AuditFilter request;

  @Override
  protected void checkLocally() {
    request = filter.toProto(ctx.clock());
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    ListAuditEventsRequest.Builder req =
        ListAuditEventsRequest.newBuilder().setFilter(request).setPageSize(paging.pageSize());
    List<ListAuditEventsResponse> pages =
        paging.fetch(
            token -> client.audit().listAuditEvents(req.setPageToken(token).build()),
            ListAuditEventsResponse::getNextPageToken);
    ListAuditEventsResponse.Builder all = ListAuditEventsResponse.newBuilder();
    pages.forEach(p -> all.addAllEvents(p.getEventsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    printer.list(all, AuditViews.table(all.getEventsList()), all.getNextPageToken());
    return ExitCodes.OK;
  }
}
