package dev.coffer.server.domain;

/** How an application authenticates. */
public enum SecurityType implements PersistedEnum {
  CLIENT_SECRET(0),
  SIGNED_JWT(1);

  private final int code;

  SecurityType(int code) {
    this.code = code;
  }

  /** The stored number: the constant's position before codes existed; never reused. */
  @Override
  public int code() {
    return code;
  }

  /** The constant stored as {@code code}; an unknown code is corruption. */
  public static SecurityType fromCode(int code) {
    return PersistedEnum.fromCode(SecurityType.class, code);
  }
}
