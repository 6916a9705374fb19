package dev.coffer.cli;

import dev.coffer.api.v1.ReportLeakRequest;
import dev.coffer.api.v1.ReportLeakResponse;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code coffer leak report < value.txt}: ReportLeak with the found value read from stdin (first
 * line). Needs no token. The answer is the same whether or not the value was live.
 *
 * <p>Security: the value is never taken from the command line; a stray argument is refused
 * without being echoed, and the value is never printed.
 */
@Command(name = "report", description = {
    "Report a Coffer value found where it should not be (no token needed).",
    "The value is read from stdin (first line). A live secret is quarantined at once;",
    "the answer is the same whether it matched or not."})
final class LeakReportCommand extends ClientCommand {

  @Mixin StrayArguments stray;

  private String value;

  @Override
  protected void checkLocally() {
    stray.refuse("leak report takes no value argument: pipe the value on stdin");
    value = valueFromStdin("no value on stdin: pipe the found value, e.g. coffer leak report < found.txt");
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    ReportLeakResponse response = client.leaks().reportLeak(
        ReportLeakRequest.newBuilder().setValue(value).build());
    value = null;
    printer.print(response, "report", response.getReportId(),
        "status", "received; a live secret is quarantined and its owner told");
    return ExitCodes.OK;
  }
}
