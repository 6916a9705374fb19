package dev.coffer.cli;

import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer grant create SECRET_ID --principal P (--expires WHEN | --for DURATION)}:
 * CreateGrant, by the secret's owner or a tenant admin. Exactly one end is required and {@code
 * never} is refused before any call: every grant expires. {@code --for} counts from now.
 */
@Command(
    name = "create",
    description = "Let a principal reveal a vaulted, shared secret until a time (every grant expires).")
final class GrantCreateCommand extends ClientCommand {

  static final String EVERY_GRANT_EXPIRES =
      "every grant expires: give --expires WHEN or --for DURATION";

  @Parameters(paramLabel = "SECRET_ID", description = "Secret id (or secrets/ID).")
  String secretId;

  @Option(
      names = "--principal",
      required = true,
      paramLabel = "ID",
      description = "Who may read it (principal id in the secret's tenant).")
  String principal;

  @Option(
      names = "--expires",
      paramLabel = "WHEN",
      converter = Expiration.Converter.class,
      description = "2026-12-01 (midnight UTC) or 2026-12-01T00:00:00Z.")
  Expiration expires;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "From now, e.g. 8h, 7d (instead of --expires).")
  Duration lasting;

  @Override
  protected void checkLocally() {
    if (expires == null && lasting == null) {
      throw usage(EVERY_GRANT_EXPIRES);
    }
    if (expires != null && lasting != null) {
      throw usage("give --expires or --for, not both");
    }
    if (expires != null && expires.never()) {
      throw usage("--expires never is not allowed: " + EVERY_GRANT_EXPIRES);
    }
    name(ResourceNames::secret, secretId);
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    Timestamp end =
        expires != null
            ? expires.resolve(ctx.clock()).timestamp()
            : Expiration.timestamp(ctx.clock().instant().plus(lasting));
    Grant grant =
        client
            .grants()
            .createGrant(
                CreateGrantRequest.newBuilder()
                    .setSecret(name(ResourceNames::secret, secretId))
                    .setGrantee(principal.strip())
                    .setExpireTime(end)
                    .build());
    printer.print(grant, SharingViews.view(grant));
    return ExitCodes.OK;
  }
}
