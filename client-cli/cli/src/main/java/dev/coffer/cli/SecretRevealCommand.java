package dev.coffer.cli;

import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer secret reveal ID}: RevealSecret, for readers the sharing rules allow (audited).
 * Text output is the value alone on stdout.
 */
@Command(name = "reveal", description = "Print a vaulted secret's value (audited).")
final class SecretRevealCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Secret id (or secrets/ID).")
  String id;

  @Override
  protected int run(CofferClient client, Printer printer) {
    RevealSecretResponse response =
        client
            .secrets()
            .revealSecret(
                RevealSecretRequest.newBuilder().setName(name(ResourceNames::secret, id)).build());
    printer.value(response, response.getValue());
    return ExitCodes.OK;
  }
}
