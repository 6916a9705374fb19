package dev.coffer.cli;

import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code coffer tenant create ID}: CreateTenant (system administrator only). */
@Command(name = "create", description = "Create a tenant.")
final class TenantCreateCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Tenant id: 2-63 of a-z, 0-9, '-'; starts with a letter.")
  String id;

  @Mixin TenantPolicyOptions policyOptions;

  @Override
  protected int run(CofferClient client, Printer printer) {
    String tenantId = name(ResourceNames::tenant, id).substring("tenants/".length());
    TenantPolicy.Builder policy = policyOptions.applyTo(TenantPolicy.newBuilder());
    Tenant tenant =
        client
            .tenants()
            .createTenant(
                CreateTenantRequest.newBuilder().setTenantId(tenantId).setPolicy(policy).build());
    printer.print(tenant, Printer.view(tenant));
    return ExitCodes.OK;
  }
}
