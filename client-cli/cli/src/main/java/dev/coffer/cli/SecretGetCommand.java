package dev.coffer.cli;

import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer secret get ID}: GetSecret (metadata only, never the value). */
@Command(name = "get", description = "Show a secret's metadata.")
final class SecretGetCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Secret id (or secrets/ID).")
  String id;

  @Override
  protected int run(CofferClient client, Printer printer) {
    Secret secret =
        client
            .secrets()
            .getSecret(GetSecretRequest.newBuilder().setName(name(ResourceNames::secret, id)).build());
    printer.print(secret, Printer.view(secret));
    return ExitCodes.OK;
  }
}
