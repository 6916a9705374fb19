package dev.coffer.cli;

import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.api.v1.UpdateTenantPolicyRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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

  @Option(names = "--allow-never-expire", arity = "0..1", paramLabel = "BOOL",
      description = "Allow secrets that never expire (true/false).")
  Boolean allowNeverExpire;

  @Option(names = "--max-secret-lifetime", paramLabel = "DURATION",
      converter = DurationConverter.class, description = "Longest lifetime of a secret, e.g. 730d.")
  Duration maxSecretLifetime;

  @Option(names = "--max-token-lifetime", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest lifetime of an access token, e.g. 365d.")
  Duration maxTokenLifetime;

  @Option(names = "--max-access-duration", paramLabel = "DURATION",
      converter = DurationConverter.class, description = "Longest a grant may last, e.g. 30d.")
  Duration maxAccessDuration;

  @Option(names = "--request-decision-window", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long an access request waits for a decision, e.g. 7d.")
  Duration requestDecisionWindow;

  @Option(names = "--federated-user-sign-in-only", arity = "0..1", paramLabel = "BOOL",
      description = "People sign in only through the tenant's people issuers: no token is"
          + " issued for any USER principal (true/false).")
  Boolean federatedUserSignInOnly;

  @Override
  protected int run(CofferClient client, Printer printer) {
    String name = name(ResourceNames::tenant, id);
    TenantPolicy.Builder policy = client.tenants()
        .getTenant(GetTenantRequest.newBuilder().setName(name).build()).getPolicy().toBuilder();
    if (allowNeverExpire != null) {
      policy.setAllowNeverExpire(allowNeverExpire);
    }
    if (maxSecretLifetime != null) {
      policy.setMaxSecretLifetime(DurationConverter.toProto(maxSecretLifetime));
    }
    if (maxTokenLifetime != null) {
      policy.setMaxTokenLifetime(DurationConverter.toProto(maxTokenLifetime));
    }
    if (maxAccessDuration != null) {
      policy.setMaxAccessDuration(DurationConverter.toProto(maxAccessDuration));
    }
    if (requestDecisionWindow != null) {
      policy.setRequestDecisionWindow(DurationConverter.toProto(requestDecisionWindow));
    }
    if (federatedUserSignInOnly != null) {
      policy.setFederatedUserSignInOnly(federatedUserSignInOnly);
    }
    Tenant tenant = client.tenants().updateTenantPolicy(
        UpdateTenantPolicyRequest.newBuilder().setName(name).setPolicy(policy).build());
    printer.print(tenant, Printer.view(tenant));
    return ExitCodes.OK;
  }
}
