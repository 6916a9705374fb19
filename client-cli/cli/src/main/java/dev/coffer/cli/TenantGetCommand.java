package dev.coffer.cli;

import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer tenant get ID}: GetTenant. */
@Command(name = "get", description = "Show a tenant and its policy.")
final class TenantGetCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Tenant id (or tenants/ID).")
  String id;

  @Override
  protected int run(CofferClient client, Printer printer) {
    Tenant tenant =
        client
            .tenants()
            .getTenant(GetTenantRequest.newBuilder().setName(name(ResourceNames::tenant, id)).build());
    printer.print(tenant, Printer.view(tenant));
    return ExitCodes.OK;
  }
}
