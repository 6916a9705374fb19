package dev.coffer.cli;

import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.client.CofferClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer token issue --principal ID}: IssueToken. The token is shown once: alone on stdout
 * (text), with its metadata and a warning on stderr. A token for another person revokes the
 * tokens that person held; the CLI says so on stderr.
 */
@Command(name = "issue", description = "Issue a bearer access token (shown once).")
final class TokenIssueCommand extends ClientCommand {

  static final String WARNING =
      "This token is shown once. Store it now; Coffer keeps only a verifier.";

  @Option(names = "--principal", required = true, paramLabel = "ID", description = "Principal id.")
  String principal;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
  String tenant = "";

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Lifetime, e.g. 90d (server default 30d).")
  Duration ttl;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
  String description = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    IssueTokenRequest.Builder request =
        IssueTokenRequest.newBuilder()
            .setTenantId(tenant)
            .setPrincipalId(principal)
            .setDescription(description);
    if (ttl != null) {
      request.setTtl(DurationConverter.toProto(ttl));
    }
    IssueTokenResponse response = client.tokens().issueToken(request.build());
    if (response.getRevokedTokenCount() > 0) {
      printer.note("note: issuing this token revoked the " + response.getRevokedTokenCount()
          + " token(s) " + principal + " held; " + principal + " will notice.");
    }
    printer.shownOnce(response, Printer.view(response.getToken()), response.getValue(), WARNING);
    return ExitCodes.OK;
  }
}
