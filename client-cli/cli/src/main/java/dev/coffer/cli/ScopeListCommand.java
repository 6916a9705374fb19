package dev.coffer.cli;

import dev.coffer.api.v1.ListScopesRequest;
import dev.coffer.api.v1.ListScopesResponse;
import dev.coffer.api.v1.Scope;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code coffer scope list}: ListScopes. */
@Command(name = "list", description = "List the scopes of your tenant.")
final class ScopeListCommand extends ClientCommand {

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    List<ListScopesResponse> pages = paging.fetch(
        token -> client.scopes().listScopes(ListScopesRequest.newBuilder()
            .setPageSize(paging.pageSize()).setPageToken(token).build()),
        ListScopesResponse::getNextPageToken);
    ListScopesResponse.Builder all = ListScopesResponse.newBuilder();
    pages.forEach(p -> all.addAllScopes(p.getScopesList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    TextTable table = new TextTable("SCOPE", "OWNER", "DESCRIPTION");
    for (Scope s : all.getScopesList()) {
      table.row(s.getScopeId(), s.getOwner(), s.getDescription());
    }
    printer.list(all, table, all.getNextPageToken());
    return ExitCodes.OK;
  }
}
