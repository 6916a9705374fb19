package dev.coffer.cli;

import dev.coffer.api.v1.VerifyAuditChainRequest;
import dev.coffer.api.v1.VerifyAuditChainResponse;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;

/**
 * {@code coffer audit verify}: VerifyAuditChain (system administrator). Exit 0 when the chain and
 * its signed checkpoints are intact, {@value #CHAIN_BROKEN} when broken (an answer, like {@code
 * secret verify}'s 3, not a call failure); the first break is printed either way.
 */
@Command(
    name = "verify",
    description = {
      "Walk the whole audit chain and its signed checkpoints (system administrator).",
      "Exit 0: intact; exit 4: broken (the first break is printed).",
      "Deadline: --timeout if given, else 1h."
    })
final class AuditVerifyCommand extends ClientCommand {

  /** Exit code when the chain is broken. */
  static final int CHAIN_BROKEN = ExitCodes.AUDIT_CHAIN_BROKEN;

  @Override
  protected int run(CofferClient client, Printer printer) {
    VerifyAuditChainResponse r =
        client
            .audit()
            .withDeadlineAfter(
                AuditViews.longCallDeadline(spec, global).toNanos(),
                java.util.concurrent.TimeUnit.NANOSECONDS)
            .verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
    printer.print(
        r,
        "intact", Printer.yesNo(r.getIntact()),
        "events checked", Long.toString(r.getEventsChecked()),
        "checkpoints checked", Long.toString(r.getCheckpointsChecked()),
        "first break", r.getFirstBreak());
    return r.getIntact() ? ExitCodes.OK : CHAIN_BROKEN;
  }
}
