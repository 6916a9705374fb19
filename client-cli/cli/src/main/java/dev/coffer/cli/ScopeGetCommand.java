package dev.coffer.cli;

import dev.coffer.api.v1.GetScopeRequest;
import dev.coffer.api.v1.Scope;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer scope get SCOPE_ID}: GetScope. */
@Command(name = "get", description = "Show a scope.")
final class ScopeGetCommand extends ClientCommand {

  @Parameters(paramLabel = "SCOPE_ID", description = "Scope id (or scopes/SCOPE_ID).")
  String scopeId;

  @Override
  protected int run(CofferClient client, Printer printer) {
    Scope scope = client.scopes().getScope(GetScopeRequest.newBuilder()
        .setName(name(ResourceNames::scope, scopeId)).build());
    printer.print(scope, Printer.view(scope));
    return ExitCodes.OK;
  }
}
