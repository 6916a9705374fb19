package dev.coffer.cli;

import dev.coffer.api.v1.VerifyClientAssertionRequest;
import dev.coffer.api.v1.VerifyClientAssertionResponse;
import dev.coffer.client.CofferClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer jwt verify [--client-id ID] --aud A < assertion}: VerifyClientAssertion with the
 * assertion read from stdin. Exit 0 when valid, 3 when refused (an answer, not an error),
 * printing the failure.
 */
@Command(name = "verify", description = {
    "Check a client assertion (private_key_jwt) as an authorization server would.",
    "The assertion is read from stdin (first line). Exit 0: valid; exit 3: refused.",
    "Each check is recorded: a valid assertion's jti cannot be presented again."})
final class JwtVerifyCommand extends ClientCommand {

  @Option(names = "--client-id", paramLabel = "CLIENT_ID",
      description = "The client (default: the assertion's iss).")
  String clientId = "";

  @Option(names = "--aud", paramLabel = "AUD", split = ",",
      description = "Accepted audience(s) (default: the server's --assertion-audience).")
  List<String> audiences = new ArrayList<>();

  @Parameters(hidden = true, arity = "0..*")
  List<String> stray;

  private String assertion;

  @Override
  protected void checkLocally() {
    if (stray != null && !stray.isEmpty()) {
      throw usage("jwt verify takes no assertion argument: pipe it on stdin");
    }
    try {
      String line = ctx.in().readLine();
      assertion = line == null ? "" : line.strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stdin", e);
    }
    if (assertion.isEmpty()) {
      throw usage("no assertion on stdin: e.g. coffer jwt assert ... | coffer jwt verify --aud A");
    }
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    VerifyClientAssertionResponse r = client.assertions().verifyClientAssertion(
        VerifyClientAssertionRequest.newBuilder().setClientId(clientId).setAssertion(assertion)
            .addAllAudiences(audiences).build());
    assertion = null;
    printer.print(r,
        "valid", r.getValid() ? "yes" : "no",
        "failure", r.getValid() ? "" : r.getFailure().name(),
        "detail", r.getDetail(),
        "client id", r.getClientId(),
        "key", r.getKey(),
        "kid", r.getKid(),
        "jti", r.getJti(),
        "expires", r.hasExpireTime() ? Printer.time(r.getExpireTime()) : "");
    return r.getValid() ? ExitCodes.OK : ExitCodes.VERIFY_MISMATCH;
  }
}
