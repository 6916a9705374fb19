package dev.coffer.server.domain;

/** The OAuth flow an application uses. */
public enum OAuthFlow implements PersistedEnum {
  CLIENT_CREDENTIALS(0),
  AUTHORIZATION_CODE(1);

  private final int code;

  OAuthFlow(int code) {
    this.code = code;
  }

  /** The stored number: the constant's position before codes existed; never reused. */
  @Override
  public int code() {
    return code;
  }

  /** The constant stored as {@code code}; an unknown code is corruption. */
  public static OAuthFlow fromCode(int code) {
    return PersistedEnum.fromCode(OAuthFlow.class, code);
  }
}
