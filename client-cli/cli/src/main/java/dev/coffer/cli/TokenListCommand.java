package dev.coffer.cli;

import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.ListTokensRequest;
import dev.coffer.api.v1.ListTokensResponse;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer token list [--principal ID]}: ListTokens. Ids, descriptions and times of a
 * principal's tokens (yours by default), never their values.
 */
@Command(name = "list", description = "List a principal's tokens (ids, never values).")
final class TokenListCommand extends ClientCommand {

  @Option(names = "--principal", paramLabel = "ID", description = "Principal id (default: you).")
  String principal = "";

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
  String tenant = "";

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    List<ListTokensResponse> pages =
        paging.fetch(
            token ->
                client
                    .tokens()
                    .listTokens(
                        ListTokensRequest.newBuilder()
                            .setTenantId(tenant)
                            .setPrincipalId(principal)
                            .setPageSize(paging.pageSize())
                            .setPageToken(token)
                            .build()),
            ListTokensResponse::getNextPageToken);
    ListTokensResponse.Builder all = ListTokensResponse.newBuilder();
    pages.forEach(p -> all.addAllTokens(p.getTokensList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    TextTable table = new TextTable("TOKEN", "DESCRIPTION", "CREATED", "EXPIRES", "REVOKED");
    for (AccessToken t : all.getTokensList()) {
      table.row(
          t.getTokenId(),
          t.getDescription(),
          Printer.time(t.getCreateTime()),
          Printer.time(t.getExpireTime()),
          Printer.time(t.getRevokeTime()));
    }
    printer.list(all, table, all.getNextPageToken());
    return ExitCodes.OK;
  }
}
