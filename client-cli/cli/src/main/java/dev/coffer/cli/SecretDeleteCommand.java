package dev.coffer.cli;

import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.DeleteSecretResponse;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer secret delete ID}: DeleteSecret; key material is destroyed, the audit remains.
 * At a terminal it asks first, as rotate does ({@code --yes} skips the question); a script
 * (no terminal) deletes without asking, as before.
 */
@Command(name = "delete", description = "Delete a secret (crypto-shredded; audit trail remains).")
final class SecretDeleteCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Secret id (or secrets/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the secret still has ETAG.")
  String etag = "";

  @Option(names = "--yes", description = "Do not ask for confirmation at a terminal.")
  boolean yes;

  @Override
  protected int run(CofferClient client, Printer printer) {
    String resource = name(ResourceNames::secret, id);
    if (!yes && ctx.terminal() && !Confirmation.ask(ctx, "Delete " + resource
        + "? Its value is destroyed for good (the audit trail remains).")) {
      printer.note("Cancelled; nothing was deleted.");
      return ExitCodes.OK;
    }
    DeleteSecretResponse response =
        client
            .secrets()
            .deleteSecret(DeleteSecretRequest.newBuilder().setName(resource).setEtag(etag).build());
    printer.print(response, "deleted", resource);
    return ExitCodes.OK;
  }
}
