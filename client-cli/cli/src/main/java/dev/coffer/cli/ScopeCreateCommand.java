package dev.coffer.cli;

import dev.coffer.api.v1.CreateScopeRequest;
import dev.coffer.api.v1.Scope;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer scope create SCOPE_ID}: CreateScope. */
@Command(name = "create", description = "Register a scope that holds secrets (e.g. orders.read).")
final class ScopeCreateCommand extends ClientCommand {

  @Parameters(paramLabel = "SCOPE_ID",
      description = "2-128 letters, digits, '.', '_', ':' or '-', starting with a letter.")
  String scopeId;

  @Option(names = "--description", paramLabel = "TEXT", description = "Up to 1024 characters.")
  String description = "";

  @Option(names = "--owner", paramLabel = "PRINCIPAL", description = "Owner (default: you).")
  String owner = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    Scope scope = client.scopes().createScope(CreateScopeRequest.newBuilder()
        .setScopeId(scopeId).setDescription(description).setOwner(owner).build());
    printer.print(scope, Printer.view(scope));
    return ExitCodes.OK;
  }
}
