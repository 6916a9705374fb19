package dev.coffer.server.service;

import dev.coffer.server.domain.Principal;

/** Who is calling, and the request's correlation data for audit events. */
public record CallContext(Principal caller, String requestId, String peer) {

  public String tenantId() {
    return caller.tenantId();
  }

  public String actor() {
    return caller.principalId();
  }
}
