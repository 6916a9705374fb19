package dev.coffer.cli;

import dev.coffer.api.v1.GetJwksRequest;
import dev.coffer.api.v1.GetJwksResponse;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer jwt jwks --app CLIENT_ID}: GetJwks; prints the JWK Set JSON. */
@Command(name = "jwks", description = "Print a signed-JWT application's JWK Set (active public keys).")
final class JwtJwksCommand extends ClientCommand {

  @Option(names = "--app", required = true, paramLabel = "CLIENT_ID", description = "The application.")
  String app;

  @Override
  protected int run(CofferClient client, Printer printer) {
    GetJwksResponse response = client.assertions().getJwks(GetJwksRequest.newBuilder()
        .setParent(name(ResourceNames::application, app)).build());
    if (printer.isJson()) {
      printer.json(response);
    } else {
      printer.value(response, response.getJwks());
    }
    return ExitCodes.OK;
  }
}
