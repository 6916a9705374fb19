package dev.coffer.cli;

import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.StoreCredentialRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer credential store}: StoreCredential, the import of a client id and secret that
 * another identity provider generated, always vaulted so it can be shared through grants.
 *
 * <p>The value is read from {@code --value-file} ({@code -}: stdin) by {@link ValueFile} before
 * any connection; it is never an argument, where {@code ps} and shell history would see it, and a
 * stray argument is refused without being echoed. Security: the value goes only into the request;
 * the reply is metadata; the field is dropped after the call.
 */
@Command(
    name = "store",
    description = {
      "Import a credential another identity provider generated (always vaulted).",
      "The value is read from --value-file (or stdin with '-'), never from the command line."
    })
final class CredentialStoreCommand extends ClientCommand {

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name, 1-128 characters.")
  String name;

  @Option(
      names = "--client-id",
      required = true,
      paramLabel = "EXTERNAL_ID",
      description = "The client id at the other identity provider.")
  String externalClientId;

  @Option(
      names = "--value-file",
      required = true,
      paramLabel = "FILE",
      description = "File holding the value (trimmed, at most 4096 bytes); '-' reads stdin.")
  String valueFile;

  @Mixin NewSecretOptions settings;

  @Mixin StrayArguments stray;

  private String value;

  @Override
  protected void checkLocally() {
    stray.refuse("credential store takes no value argument: use --value-file FILE (or - for stdin)");
    try {
      value = ValueFile.read("--value-file", valueFile, ctx.in());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    StoreCredentialRequest.Builder request =
        StoreCredentialRequest.newBuilder()
            .setDisplayName(name)
            .setDescription(settings.description)
            .setExternalClientId(externalClientId)
            .setValue(value)
            .setLocation(settings.location)
            .setSharingEnabled(settings.share)
            .setOwner(settings.owner.strip())
            .setPreapproveOwner(settings.preapproveOwner);
    if (settings.expires != null) {
      settings.expires.resolve(ctx.clock()).applyTo(request);
    }
    value = null;
    String warning = SecretDraft.readersWarning(true, settings.share, settings.preapproveOwner);
    if (!warning.isEmpty()) {
      printer.note(warning);
    }
    Secret secret = client.secrets().storeCredential(request.build());
    printer.print(secret, Printer.view(secret));
    return ExitCodes.OK;
  }
}
