package dev.coffer.server.service.kernel;

import dev.coffer.server.domain.Principal;

/**
 * Who is calling, and the request's correlation data for audit events.
 *
 * @param tokenId the id of the bearer token the call authenticated with (never its value),
 *     so that a long-lived call can re-check it; empty for mTLS and internal calls
 */
public record CallContext(Principal caller, String requestId, String peer, String tokenId) {

  public CallContext {
    tokenId = tokenId == null ? "" : tokenId;
  }

  public CallContext(Principal caller, String requestId, String peer) {
    this(caller, requestId, peer, "");
  }

  public String tenantId() {
    return caller.tenantId();
  }

  public String actor() {
    return caller.principalId();
  }
}
