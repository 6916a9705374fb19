package dev.coffer.cli;

import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer secret verify --client-id ID}: VerifySecret with the value read from stdin (first
 * line, trimmed). Exit 0 on a match, 3 on no match (an answer, not an error).
 *
 * <p>Security: the value is never taken from the command line (where {@code ps} and shell history
 * would see it): a stray argument is refused without being echoed.
 */
@Command(
    name = "verify",
    description = {
      "Check a value against an application's (or scope's) secrets, revealing nothing.",
      "The value is read from stdin (first line), never from the command line.",
      "Exit 0: match; exit 3: no match."
    })
final class SecretVerifyCommand extends ClientCommand {

  @Option(names = "--client-id", paramLabel = "CLIENT_ID", description = "The application.")
  String clientId;

  @Option(names = "--scope", paramLabel = "SCOPE_ID", description = "A scope instead of an application.")
  String scope;

  @Mixin StrayArguments stray;

  private String value;

  @Override
  protected void checkLocally() {
    stray.refuse("secret verify takes no value argument: pipe the value on stdin");
    if (clientId == null && scope == null) {
      throw usage("Missing required option: '--client-id=CLIENT_ID' (or '--scope=SCOPE_ID')");
    }
    if (clientId != null && scope != null) {
      throw usage("give --client-id or --scope, not both");
    }
    value = valueFromStdin("no value on stdin: pipe the value to check, e.g. coffer secret verify --client-id ID < file");
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    VerifySecretResponse response =
        client
            .secrets()
            .verifySecret(
                VerifySecretRequest.newBuilder()
                    .setClientId(clientId == null ? "" : clientId)
                    .setScope(scope == null ? "" : scope)
                    .setValue(value)
                    .build());
    value = null;
    printer.print(
        response, "match", response.getMatch() ? "yes" : "no", "secret", response.getSecret());
    return response.getMatch() ? ExitCodes.OK : ExitCodes.VERIFY_MISMATCH;
  }
}
