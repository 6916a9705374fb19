package dev.coffer.cli;

import dev.coffer.api.v1.GetPrincipalRequest;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer principal get ID}: GetPrincipal. Without {@code --tenant} the caller's tenant is
 * first learnt with WhoAmI (the resource name needs it).
 */
@Command(name = "get", description = "Show a principal.")
final class PrincipalGetCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Principal id.")
  String principalId;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
  String tenant;

  @Override
  protected int run(CofferClient client, Printer printer) {
    String tenantId =
        tenant != null
            ? tenant
            : client.principals().whoAmI(WhoAmIRequest.getDefaultInstance()).getTenantId();
    String resource = name(id -> ResourceNames.principal(tenantId, id), principalId);
    Principal p =
        client.principals().getPrincipal(GetPrincipalRequest.newBuilder().setName(resource).build());
    printer.print(p, Printer.view(p));
    return ExitCodes.OK;
  }
}
