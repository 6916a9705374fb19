package dev.coffer.cli;

import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;

/** {@code coffer whoami}: WhoAmI, the principal the token authenticates. */
@Command(name = "whoami", description = "Show who the token authenticates as.")
final class WhoAmICommand extends ClientCommand {

  @Override
  protected int run(CofferClient client, Printer printer) {
    Principal p = client.principals().whoAmI(WhoAmIRequest.getDefaultInstance());
    printer.print(p, Printer.view(p));
    return ExitCodes.OK;
  }
}
