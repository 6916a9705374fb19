package dev.coffer.cli;

import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coffer token revoke TOKEN_ID}: RevokeToken. */
@Command(name = "revoke", description = "Revoke an access token.")
final class TokenRevokeCommand extends ClientCommand {

  @Parameters(paramLabel = "TOKEN_ID", description = "Token id (or tokens/ID); never the token itself.")
  String tokenId;

  @Override
  protected int run(CofferClient client, Printer printer) {
    AccessToken token =
        client
            .tokens()
            .revokeToken(
                RevokeTokenRequest.newBuilder().setName(name(ResourceNames::token, tokenId)).build());
    printer.print(token, Printer.view(token));
    return ExitCodes.OK;
  }
}
