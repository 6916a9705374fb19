package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.client.CofferClient;
import picocli.CommandLine.Command;

/**
 * {@code coffer access approve REQ_ID}: ApproveAccessRequest; the server creates the grant in the
 * same batch and the printed request names it.
 */
@Command(name = "approve", description = "Approve a pending access request (creates its grant).")
final class AccessApproveCommand extends AccessDecisionCommand {

  @Override
  protected AccessRequest decide(CofferClient client, String name, String etag) {
    return client.access().approveAccessRequest(
        ApproveAccessRequestRequest.newBuilder().setName(name).setEtag(etag).build());
  }
}
