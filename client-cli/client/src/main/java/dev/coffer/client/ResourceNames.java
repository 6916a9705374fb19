package dev.coffer.client;

/**
 * Builds the API's resource names from the ids people type: {@code abc} becomes {@code
 * secrets/abc}; a name that already carries its prefix is accepted as it is.
 *
 * <p>Contract: an id is non-blank and holds no {@code /} (else {@link IllegalArgumentException}).
 * Security: the rejected input is never echoed in the exception message, in case a value was
 * pasted where an id belonged.
 */
public final class ResourceNames {

  private ResourceNames() {}

  /** {@code secrets/{secret_id}}. */
  public static String secret(String id) {
    return prefixed("secrets/", id, "secret id");
  }

  /** {@code applications/{client_id}}. */
  public static String application(String clientId) {
    return prefixed("applications/", clientId, "client id");
  }

  /** {@code scopes/{scope_id}}. */
  public static String scope(String scopeId) {
    return prefixed("scopes/", scopeId, "scope id");
  }

  /** {@code tokens/{token_id}}. */
  public static String token(String id) {
    return prefixed("tokens/", id, "token id");
  }

  /** {@code accessRequests/{request_id}}. */
  public static String accessRequest(String id) {
    return prefixed("accessRequests/", id, "access request id");
  }

  /** {@code grants/{grant_id}}. */
  public static String grant(String id) {
    return prefixed("grants/", id, "grant id");
  }

  /** {@code tenants/{tenant_id}}. */
  public static String tenant(String id) {
    return prefixed("tenants/", id, "tenant id");
  }

  /** {@code tenants/{tenant_id}/principals/{principal_id}}. */
  public static String principal(String tenantId, String principalId) {
    return tenant(tenantId) + prefixed("/principals/", principalId, "principal id");
  }

  private static String prefixed(String prefix, String value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    String id = value.strip();
    String bare = prefix.startsWith("/") ? prefix.substring(1) : prefix;
    if (id.startsWith(bare)) {
      id = id.substring(bare.length());
    }
    if (id.isEmpty() || id.contains("/") || id.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          what + " must be a bare id (or " + bare + "{id}) without '/' or spaces");
    }
    return prefix + id;
  }
}
