package dev.coffer.cli;

import dev.coffer.api.v1.KekKey;
import dev.coffer.api.v1.RotateKekRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;

/**
 * {@code coffer admin rotate-kek}: RotateKek. The new key wraps every new data key at once; the
 * server re-wraps the existing ones in the background (see {@code coffer admin status}).
 */
@Command(
    name = "rotate-kek",
    description = {
      "Make a new KEK key the primary; existing data keys are re-wrapped in the background.",
      "Follow it with `coffer admin status`; then `coffer admin kek disable OLD_ID`."
    })
final class AdminRotateKekCommand extends ClientCommand {

  @Override
  protected int run(CofferClient client, Printer printer) {
    KekKey k = client.admin().rotateKek(RotateKekRequest.getDefaultInstance());
    printer.print(
        k,
        "new primary KEK key", Integer.toUnsignedString(k.getKeyId()),
        "re-wrap", "started in the background (coffer admin status)");
    return ExitCodes.OK;
  }
}
