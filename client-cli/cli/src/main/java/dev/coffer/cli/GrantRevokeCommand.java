package dev.coffer.cli;

import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.RevokeGrantRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coffer grant revoke GRANT_ID}: RevokeGrant; the next reveal by its holder is denied. */
@Command(name = "revoke", description = "Revoke a grant (its holder's next read is denied).")
final class GrantRevokeCommand extends ClientCommand {

  @Parameters(paramLabel = "GRANT_ID", description = "Grant id (or grants/ID).")
  String id;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the grant still has ETAG.")
  String etag = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    Grant grant =
        client
            .grants()
            .revokeGrant(
                RevokeGrantRequest.newBuilder()
                    .setName(name(ResourceNames::grant, id))
                    .setEtag(etag)
                    .build());
    printer.print(grant, SharingViews.view(grant));
    return ExitCodes.OK;
  }
}
