package dev.coffer.cli;

import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer principal create --name ID}: CreatePrincipal. */
@Command(name = "create", description = "Create a person (default) or a workload in a tenant.")
final class PrincipalCreateCommand extends ClientCommand {

  @Option(
      names = "--name",
      required = true,
      paramLabel = "ID",
      description = "Principal id: 2-64 of letters, digits, '.', '_', '-'.")
  String principalId;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
  String tenant = "";

  @Option(names = "--admin", description = "Make the principal a tenant administrator.")
  boolean admin;

  @Option(names = "--service", description = "A workload (SERVICE) rather than a person (USER).")
  boolean service;

  @Option(
      names = "--owner",
      paramLabel = "ID",
      description = "With --service: the USER who owns it and may issue its tokens (default: you).")
  String owner = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    Principal p =
        client
            .principals()
            .createPrincipal(
                CreatePrincipalRequest.newBuilder()
                    .setTenantId(tenant)
                    .setPrincipalId(principalId)
                    .setKind(service ? PrincipalKind.SERVICE : PrincipalKind.USER)
                    .setAdmin(admin)
                    .setOwner(owner)
                    .build());
    printer.print(p, Printer.view(p));
    return ExitCodes.OK;
  }
}
