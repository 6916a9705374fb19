package dev.coffer.cli;

import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer tenant create ID}: CreateTenant (system administrator only). */
@Command(name = "create", description = "Create a tenant.")
final class TenantCreateCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Tenant id: 2-63 of a-z, 0-9, '-'; starts with a letter.")
  String id;

  @Option(names = "--allow-never-expire", description = "Allow secrets that never expire.")
  boolean allowNeverExpire;

  @Option(
      names = "--max-secret-lifetime",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest lifetime of a secret, e.g. 730d (server default 730d).")
  Duration maxSecretLifetime;

  @Option(
      names = "--max-token-lifetime",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest lifetime of an access token, e.g. 365d (server default 365d).")
  Duration maxTokenLifetime;

  @Option(
      names = "--max-access-duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest a grant may last, e.g. 30d (server default 30d).")
  Duration maxAccessDuration;

  @Option(
      names = "--request-decision-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long an access request waits for a decision, e.g. 7d (server default 7d).")
  Duration requestDecisionWindow;

  @Override
  protected int run(CofferClient client, Printer printer) {
    String tenantId = name(ResourceNames::tenant, id).substring("tenants/".length());
    TenantPolicy.Builder policy = TenantPolicy.newBuilder().setAllowNeverExpire(allowNeverExpire);
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
    Tenant tenant =
        client
            .tenants()
            .createTenant(
                CreateTenantRequest.newBuilder().setTenantId(tenantId).setPolicy(policy).build());
    printer.print(tenant, Printer.view(tenant));
    return ExitCodes.OK;
  }
}
