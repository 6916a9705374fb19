package dev.coffer.server.domain;

import java.time.Instant;

/**
 * A protected API scope of one tenant (e.g. {@code orders.read}) that holds secrets exactly
 * like an application, for example those a resource server presents to a token
 * introspection endpoint. Its id is its name, unique per tenant, and not sensitive.
 */
public record Scope(
    String tenantId,
    String scopeId,
    String description,
    String owner,
    Instant createTime,
    long revision) implements SecretHolder {

  public String etag() {
    return "r" + revision;
  }
}
