package dev.coffer.cli;

import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;

/**
 * {@code coffer whoami}: WhoAmI, the principal the token authenticates, and the id of that
 * token ({@code tok_…}, for {@code coffer token revoke}); never the token itself.
 */
@Command(name = "whoami", description = "Show who the token authenticates as.")
final class WhoAmICommand extends ClientCommand {

  @Override
  protected int run(CofferClient client, Printer printer) {
    Principal p = client.principals().whoAmI(WhoAmIRequest.getDefaultInstance());
    String[] view = Printer.view(p);
    String[] withToken = java.util.Arrays.copyOf(view, view.length + 2);
    withToken[view.length] = "token";
    withToken[view.length + 1] = p.getTokenId().isEmpty() ? "(none: client certificate)"
        : p.getTokenId();
    printer.print(p, withToken);
    return ExitCodes.OK;
  }
}
