package dev.coffer.cli;

import dev.coffer.api.v1.DeleteTrustedIssuerRequest;
import dev.coffer.api.v1.GetTrustedIssuerRequest;
import dev.coffer.api.v1.ListTrustedIssuersRequest;
import dev.coffer.api.v1.ListTrustedIssuersResponse;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer issuer list|get|delete}: ListTrustedIssuers, GetTrustedIssuer and
 * DeleteTrustedIssuer ({@code coffer issuer create} is {@link IssuerCreateCommand}). An issuer is
 * named by its id in {@code --tenant} (default: the caller's) or by {@code tenants/T/issuers/ID}.
 * Security: issuers hold public facts and public keys only.
 */
final class IssuerCommands {

  private IssuerCommands() {}

  /** {@code coffer issuer list}. */
  @Command(name = "list", description = "List a tenant's trusted issuers.")
  static final class ListIssuers extends ClientCommand {
    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
    String tenant = "";

    @Mixin PageOptions paging;

    @Override
    protected int run(CofferClient client, Printer printer) {
      List<ListTrustedIssuersResponse> pages = paging.fetch(
          token -> client.issuers().listTrustedIssuers(ListTrustedIssuersRequest.newBuilder()
              .setTenantId(tenant).setPageSize(paging.pageSize()).setPageToken(token).build()),
          ListTrustedIssuersResponse::getNextPageToken);
      ListTrustedIssuersResponse.Builder all = ListTrustedIssuersResponse.newBuilder();
      pages.forEach(p -> all.addAllIssuers(p.getIssuersList()));
      all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
      TextTable table = new TextTable("ID", "PURPOSE", "URL", "AUDIENCES", "BINDINGS", "CREATED");
      for (TrustedIssuer i : all.getIssuersList()) {
        table.row(i.getIssuerId(), i.getPurpose().name(), i.getIssuer(),
            String.join(",", i.getAudiencesList()), String.valueOf(i.getBindingsCount()),
            Printer.time(i.getCreateTime()));
      }
      printer.list(all, table, all.getNextPageToken());
      return ExitCodes.OK;
    }
  }

  /** {@code coffer issuer get ID}. */
  @Command(name = "get", description = "Show a trusted issuer, its keys' source and bindings.")
  static final class Get extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "Issuer id (or tenants/T/issuers/ID).")
    String id;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
    String tenant = "";

    @Override
    protected int run(CofferClient client, Printer printer) {
      TrustedIssuer issuer = client.issuers().getTrustedIssuer(GetTrustedIssuerRequest
          .newBuilder().setName(IssuerViews.name(id, tenant, client)).build());
      printer.print(issuer, IssuerViews.view(issuer));
      return ExitCodes.OK;
    }
  }

  /** {@code coffer issuer delete ID}. */
  @Command(name = "delete", description = "Stop trusting an issuer: its JWTs are refused at once"
      + " (Coffer tokens it already vouched for last until they expire or are revoked).")
  static final class Delete extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "Issuer id (or tenants/T/issuers/ID).")
    String id;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
    String tenant = "";

    @Override
    protected int run(CofferClient client, Printer printer) {
      TrustedIssuer deleted = client.issuers().deleteTrustedIssuer(DeleteTrustedIssuerRequest
          .newBuilder().setName(IssuerViews.name(id, tenant, client)).build());
      printer.print(deleted, IssuerViews.view(deleted));
      printer.note("Deleted: " + deleted.getIssuer() + "'s JWTs are no longer accepted.");
      return ExitCodes.OK;
    }
  }
}
