package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.CancelAccessRequestRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;

/** {@code coffer access cancel REQ_ID}: CancelAccessRequest, by its requester. */
@Command(name = "cancel", description = "Withdraw your own pending access request.")
final class AccessCancelCommand extends AccessDecisionCommand {

  @Override
  protected AccessRequest decide(CofferClient client, String name, String etag) {
    return client.access().cancelAccessRequest(
        CancelAccessRequestRequest.newBuilder().setName(name).setEtag(etag).build());
  }
}
