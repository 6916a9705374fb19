package dev.coffer.server.service.kernel;

import dev.coffer.server.domain.CofferException;

/**
 * What a secret belongs to, as a request names it: an application ({@code applications/{id}})
 * or a scope ({@code scopes/{id}}).
 */
public record SecretParent(boolean scope, String id) {

  public static final String APPLICATIONS = "applications/";
  public static final String SCOPES = "scopes/";

  public static SecretParent application(String clientId) {
    return new SecretParent(false, clientId);
  }

  public static SecretParent ofScope(String scopeId) {
    return new SecretParent(true, scopeId);
  }

  /**
   * Parses {@code applications/{client_id}} or {@code scopes/{scope_id}}; INVALID_ARGUMENT
   * naming {@code field} otherwise.
   */
  public static SecretParent parse(String field, String name) {
    if (name != null && name.startsWith(SCOPES)) {
      return ofScope(FieldRules.scopeId(field, name.substring(SCOPES.length())));
    }
    if (name != null && !name.isEmpty() && !name.startsWith(APPLICATIONS)) {
      throw CofferException.invalid(field,
          "must have the form applications/{client_id} or scopes/{scope_id}");
    }
    return application(FieldRules.resourceId(field, name, APPLICATIONS));
  }

  /** The resource name. */
  public String name() {
    return (scope ? SCOPES : APPLICATIONS) + id;
  }
}
