package dev.coffer.server.api;

import dev.coffer.api.v1.KeyAlgorithm;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.server.domain.CofferException;

/**
 * Maps request enums to domain enums. UNSPECIFIED means "the default" (null); an unknown
 * number (a newer client, or garbage) is INVALID_ARGUMENT naming the field.
 */
final class EnumFields {

  private EnumFields() {}

  static dev.coffer.server.domain.PrincipalKind kind(PrincipalKind kind) {
    return switch (kind) {
      case PRINCIPAL_KIND_UNSPECIFIED, USER -> dev.coffer.server.domain.PrincipalKind.USER;
      case SERVICE -> dev.coffer.server.domain.PrincipalKind.SERVICE;
      case UNRECOGNIZED -> throw unknown("kind");
    };
  }

  static dev.coffer.server.domain.SecurityType securityType(SecurityType type) {
    return switch (type) {
      case SECURITY_TYPE_UNSPECIFIED -> null;
      case CLIENT_SECRET -> dev.coffer.server.domain.SecurityType.CLIENT_SECRET;
      case SIGNED_JWT -> dev.coffer.server.domain.SecurityType.SIGNED_JWT;
      case UNRECOGNIZED -> throw unknown("security_type");
    };
  }

  static dev.coffer.server.domain.OAuthFlow flow(OAuthFlow flow) {
    return switch (flow) {
      case OAUTH_FLOW_UNSPECIFIED -> null;
      case CLIENT_CREDENTIALS -> dev.coffer.server.domain.OAuthFlow.CLIENT_CREDENTIALS;
      case AUTHORIZATION_CODE -> dev.coffer.server.domain.OAuthFlow.AUTHORIZATION_CODE;
      case UNRECOGNIZED -> throw unknown("flow");
    };
  }

  static dev.coffer.server.domain.KeyAlgorithm keyAlgorithm(KeyAlgorithm algorithm) {
    return switch (algorithm) {
      case KEY_ALGORITHM_UNSPECIFIED -> null;
      case ES256 -> dev.coffer.server.domain.KeyAlgorithm.ES256;
      case RS256 -> dev.coffer.server.domain.KeyAlgorithm.RS256;
      case UNRECOGNIZED -> throw unknown("key_algorithm");
    };
  }

  private static CofferException unknown(String field) {
    return CofferException.invalid(field, "is not a known value");
  }
}
