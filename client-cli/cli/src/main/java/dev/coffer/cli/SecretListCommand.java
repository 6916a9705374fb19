package dev.coffer.cli;

import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code coffer secret list}: ListSecrets (metadata only), one page or {@code --all}. */
@Command(name = "list", description = "List secrets (metadata only).")
final class SecretListCommand extends ClientCommand {

  @Option(names = "--app", paramLabel = "CLIENT_ID", description = "Only this application's.")
  String app;

  @Option(names = "--location", paramLabel = "PATH", description = "Only at PATH or below.")
  String location = "";

  @Option(
      names = "--expiring-within",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Only active secrets expiring within DURATION, e.g. 30d.")
  Duration expiringWithin;

  @Option(
      names = "--shared",
      description = "Only vaulted secrets with sharing enabled (those you may request access to).")
  boolean shared;

  @Mixin PageOptions paging;

  @Override
  protected int run(CofferClient client, Printer printer) {
    ListSecretsRequest.Builder request =
        ListSecretsRequest.newBuilder()
            .setLocation(location)
            .setShared(shared)
            .setPageSize(paging.pageSize());
    if (app != null) {
      request.setParent(name(ResourceNames::application, app));
    }
    if (expiringWithin != null) {
      request.setExpiringWithin(DurationConverter.toProto(expiringWithin));
    }
    List<ListSecretsResponse> pages =
        paging.fetch(
            token -> client.secrets().listSecrets(request.setPageToken(token).build()),
            ListSecretsResponse::getNextPageToken);
    ListSecretsResponse.Builder all = ListSecretsResponse.newBuilder();
    pages.forEach(p -> all.addAllSecrets(p.getSecretsList()));
    all.setNextPageToken(pages.get(pages.size() - 1).getNextPageToken());
    printer.list(all, Printer.table(all.getSecretsList()), all.getNextPageToken());
    return ExitCodes.OK;
  }
}
