package dev.coffer.server.store.records;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.IssuerPurpose;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecurityType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit, stable number each constant of a persisted enum is stored as, never its
 * {@code ordinal()}: reordering or inserting a constant changes no stored record. The codes
 * equal the ordinals the records were written with before codes existed, so every vault on
 * disk reads unchanged; a released code is never changed nor reused.
 *
 * <p>Each table is checked when this class loads: a constant without a code, or a code
 * given twice, stops the server (and every storage test) with an
 * {@link IllegalStateException}. Decoding a number no constant has is corruption of stored
 * data, not user input: {@link #decode} throws an {@link IllegalStateException} naming the
 * enum and the number, nothing else. See {@code docs/storage-format.md}.
 */
final class EnumCodes<E extends Enum<E>> {

  static final EnumCodes<PrincipalKind> PRINCIPAL_KIND = new Builder<>(PrincipalKind.class)
      .code(PrincipalKind.USER, 0)
      .code(PrincipalKind.SERVICE, 1)
      .build();

  static final EnumCodes<SecurityType> SECURITY_TYPE = new Builder<>(SecurityType.class)
      .code(SecurityType.CLIENT_SECRET, 0)
      .code(SecurityType.SIGNED_JWT, 1)
      .build();

  static final EnumCodes<OAuthFlow> OAUTH_FLOW = new Builder<>(OAuthFlow.class)
      .code(OAuthFlow.CLIENT_CREDENTIALS, 0)
      .code(OAuthFlow.AUTHORIZATION_CODE, 1)
      .build();

  static final EnumCodes<SecretKind> SECRET_KIND = new Builder<>(SecretKind.class)
      .code(SecretKind.CLIENT_SECRET, 0)
      .code(SecretKind.STORED_CREDENTIAL, 1)
      .code(SecretKind.SCOPE_SECRET, 2)
      .code(SecretKind.SIGNING_KEY, 3)
      .build();

  static final EnumCodes<AccessRequest.Status> ACCESS_REQUEST_STATUS =
      new Builder<>(AccessRequest.Status.class)
          .code(AccessRequest.Status.PENDING, 0)
          .code(AccessRequest.Status.APPROVED, 1)
          .code(AccessRequest.Status.DENIED, 2)
          .code(AccessRequest.Status.CANCELLED, 3)
          .build();

  /** Codes equal the API's IssuerPurpose numbers; 0 (unspecified) is never stored. */
  static final EnumCodes<IssuerPurpose> ISSUER_PURPOSE = new Builder<>(IssuerPurpose.class)
      .code(IssuerPurpose.WORKLOADS, 1)
      .code(IssuerPurpose.PEOPLE, 2)
      .build();

  /** Every table, for the tests that pin them. */
  static final List<EnumCodes<?>> ALL = List.of(PRINCIPAL_KIND, SECURITY_TYPE, OAUTH_FLOW,
      SECRET_KIND, ACCESS_REQUEST_STATUS, ISSUER_PURPOSE);

  private final Class<E> type;
  private final Map<E, Integer> codes;
  private final Map<Integer, E> constants;

  private EnumCodes(Class<E> type, Map<E, Integer> codes, Map<Integer, E> constants) {
    this.type = type;
    this.codes = Collections.unmodifiableMap(codes);
    this.constants = Map.copyOf(constants);
  }

  Class<E> type() {
    return type;
  }

  /** Each constant's code. */
  Map<E, Integer> codes() {
    return codes;
  }

  /** The number {@code constant} is stored as. */
  int code(E constant) {
    return codes.get(constant);
  }

  /** The constant stored as {@code code}. */
  E decode(int code) {
    E constant = constants.get(code);
    if (constant == null) {
      throw new IllegalStateException(
          "stored record holds unknown " + type.getSimpleName() + " code " + code);
    }
    return constant;
  }

  /** Collects one enum's codes; {@link #build} refuses a missing constant or a reused code. */
  static final class Builder<E extends Enum<E>> {
    private final Class<E> type;
    private final Map<E, Integer> codes;
    private final Map<Integer, E> constants = new HashMap<>();

    Builder(Class<E> type) {
      this.type = type;
      this.codes = new EnumMap<>(type);
    }

    Builder<E> code(E constant, int code) {
      E before = constants.putIfAbsent(code, constant);
      if (before != null || codes.putIfAbsent(constant, code) != null) {
        throw new IllegalStateException(type.getSimpleName() + " code " + code + " or "
            + constant + " given twice");
      }
      return this;
    }

    EnumCodes<E> build() {
      for (E constant : type.getEnumConstants()) {
        if (!codes.containsKey(constant)) {
          throw new IllegalStateException(
              type.getSimpleName() + "." + constant + " has no stored code");
        }
      }
      return new EnumCodes<>(type, codes, constants);
    }
  }
}
