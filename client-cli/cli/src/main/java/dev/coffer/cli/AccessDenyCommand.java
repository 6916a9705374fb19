package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer access deny REQ_ID --reason R}: DenyAccessRequest. */
@Command(name = "deny", description = "Deny a pending access request, saying why.")
final class AccessDenyCommand extends AccessDecisionCommand {

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why, 1-500 characters (shown to the requester, audited).")
  String reason;

  @Override
  protected AccessRequest decide(CofferClient client, String name, String etag) {
    return client.access().denyAccessRequest(DenyAccessRequestRequest.newBuilder()
        .setName(name).setReason(reason).setEtag(etag).build());
  }
}
