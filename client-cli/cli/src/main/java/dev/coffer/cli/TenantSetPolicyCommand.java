package dev.coffer.cli;

import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.api.v1.UpdateTenantPolicyRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer tenant set-policy ID}: UpdateTenantPolicy (system administrator), one flag per
 * {@link TenantPolicy} field. The RPC replaces the whole policy, so the command reads the current
 * one first (GetTenant) and changes only the fields given: a flag left out keeps its value.
 * Security: a policy holds no secret.
 */
@Command(name = "set-policy", description = "Change a tenant's policy; fields not given keep"
    + " their current values.")
final class TenantSetPolicyCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Tenant id (or tenants/ID).")
  String id;

  @Mixin TenantPolicyOptions policyOptions;

  @Override
  protected int run(CofferClient client, Printer printer) {
    String name = name(ResourceNames::tenant, id);
    TenantPolicy.Builder policy = client.tenants()
        .getTenant(GetTenantRequest.newBuilder().setName(name).build()).getPolicy().toBuilder();
    policyOptions.applyTo(policy);
    Tenant tenant = client.tenants().updateTenantPolicy(
        UpdateTenantPolicyRequest.newBuilder().setName(name).setPolicy(policy).build());
    printer.print(tenant, Printer.view(tenant));
    return ExitCodes.OK;
  }
}
