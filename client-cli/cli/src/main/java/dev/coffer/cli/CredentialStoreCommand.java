package dev.coffer.cli;

import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.StoreCredentialRequest;
import dev.coffer.client.CofferClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

  @Option(names = "--location", paramLabel = "PATH", description = "Location, e.g. /Finance (default: /).")
  String location = "/";

  @Option(names = "--share", description = "Allow access requests and grants.")
  boolean share;

  @Option(names = "--owner", paramLabel = "PRINCIPAL", description = "Owner (default: you).")
  String owner = "";

  @Option(names = "--preapprove-owner", description = "The owner may reveal it without a grant.")
  boolean preapproveOwner;

  @Option(names = "--description", paramLabel = "TEXT", description = "Up to 1024 characters.")
  String description = "";

  @Option(
      names = "--expires",
      paramLabel = "WHEN",
      converter = Expiration.Converter.class,
      description = "2027-11-22 (midnight UTC), 2027-11-22T10:00:00Z or never (default: 1 year).")
  Expiration expires;

  /** Catches stray arguments so picocli does not echo them (one could be the value). */
  @Parameters(hidden = true, arity = "0..*")
  List<String> stray;

  private String value;

  @Override
  protected void checkLocally() {
    if (stray != null && !stray.isEmpty()) {
      throw usage("credential store takes no value argument: use --value-file FILE (or - for stdin)");
    }
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
            .setDescription(description)
            .setExternalClientId(externalClientId)
            .setValue(value)
            .setLocation(location)
            .setSharingEnabled(share)
            .setOwner(owner.strip())
            .setPreapproveOwner(preapproveOwner);
    if (expires != null) {
      expires.resolve(ctx.clock()).applyTo(request);
    }
    value = null;
    String warning = SecretDraft.readersWarning(true, share, preapproveOwner);
    if (!warning.isEmpty()) {
      printer.note(warning);
    }
    Secret secret = client.secrets().storeCredential(request.build());
    printer.print(secret, Printer.view(secret));
    return ExitCodes.OK;
  }
}
