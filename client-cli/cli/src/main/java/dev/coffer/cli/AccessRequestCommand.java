package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer access request SECRET_ID --reason R --duration D}: CreateAccessRequest. The
 * secret's owner or a tenant admin decides; an approval creates a grant lasting {@code D}.
 */
@Command(
    name = "request",
    description = "Ask to read a shared vaulted secret for a while (the owner or an admin decides).")
final class AccessRequestCommand extends ClientCommand {

  @Parameters(paramLabel = "SECRET_ID", description = "Secret id (or secrets/ID).")
  String secretId;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why you need it, 1-500 characters (audited).")
  String reason;

  @Option(
      names = "--duration",
      required = true,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long the grant should last once approved, e.g. 8h (at most the tenant's"
          + " max access duration).")
  Duration duration;

  @Override
  protected int run(CofferClient client, Printer printer) {
    AccessRequest request =
        client
            .access()
            .createAccessRequest(
                CreateAccessRequestRequest.newBuilder()
                    .setSecret(name(ResourceNames::secret, secretId))
                    .setJustification(reason)
                    .setDuration(DurationConverter.toProto(duration))
                    .build());
    printer.print(request, SharingViews.view(request));
    return ExitCodes.OK;
  }
}
