package dev.coffer.cli;

import dev.coffer.api.v1.ListPrincipalsRequest;
import dev.coffer.api.v1.ListPrincipalsResponse;
import dev.coffer.api.v1.Principal;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coffer principal list}: ListPrincipals. */
@Command(name = "list", description = "List the principals of a tenant.")
final class PrincipalListCommand extends ClientCommand {

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
  String tenant = "";

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    List<ListPrincipalsResponse> pages =
        paging.fetch(
            token ->
                client
                    .principals()
                    .listPrincipals(
                        ListPrincipalsRequest.newBuilder()
                            .setTenantId(tenant)
                            .setPageSize(paging.pageSize())
                            .setPageToken(token)
                            .build()),
            ListPrincipalsResponse::getNextPageToken);
    ListPrincipalsResponse.Builder all = ListPrincipalsResponse.newBuilder();
    pages.forEach(p -> all.addAllPrincipals(p.getPrincipalsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    TextTable table = new TextTable("PRINCIPAL", "KIND", "ADMIN", "CREATED");
    for (Principal p : all.getPrincipalsList()) {
      table.row(
          p.getName(), p.getKind().name(), Printer.yesNo(p.getAdmin()), Printer.time(p.getCreateTime()));
    }
    printer.list(all, table, all.getNextPageToken());
    return ExitCodes.OK;
  }
}
