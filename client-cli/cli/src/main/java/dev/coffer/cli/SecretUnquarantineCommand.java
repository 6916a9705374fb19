package dev.coffer.cli;

import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.UnquarantineSecretRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer secret unquarantine ID}: UnquarantineSecret. Only after the secret was rotated:
 * the leaked value then verifies again until the end of the rotation's overlap.
 */
@Command(name = "unquarantine", description = {
    "Lift the quarantine a leak report put on a secret (owner or admin).",
    "Rotate it first (coffer secret rotate ID --overlap 7d): the old value then serves out",
    "the overlap while clients move to the new one."})
final class SecretUnquarantineCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Secret id (or secrets/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the secret still has ETAG.")
  String etag = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    Secret secret = client.secrets().unquarantineSecret(UnquarantineSecretRequest.newBuilder()
        .setName(name(ResourceNames::secret, id)).setEtag(etag).build());
    printer.print(secret, Printer.view(secret));
    return ExitCodes.OK;
  }
}
