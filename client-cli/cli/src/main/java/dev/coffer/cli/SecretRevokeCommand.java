package dev.coffer.cli;

import dev.coffer.api.v1.RevokeSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer secret revoke ID}: RevokeSecret; the secret stops verifying at once. */
@Command(name = "revoke", description = "Revoke a secret (it stays listed as REVOKED).")
final class SecretRevokeCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Secret id (or secrets/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the secret still has ETAG.")
  String etag = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    Secret secret =
        client
            .secrets()
            .revokeSecret(
                RevokeSecretRequest.newBuilder()
                    .setName(name(ResourceNames::secret, id))
                    .setEtag(etag)
                    .build());
    printer.print(secret, Printer.view(secret));
    return ExitCodes.OK;
  }
}
