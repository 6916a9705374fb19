package dev.coffer.server.domain;

/** A person or a workload. */
public enum PrincipalKind implements PersistedEnum {
  USER(0),
  SERVICE(1);

  private final int code;

  PrincipalKind(int code) {
    this.code = code;
  }

  /** The stored number: the constant's position before codes existed; never reused. */
  @Override
  public int code() {
    return code;
  }

  /** The constant stored as {@code code}; an unknown code is corruption. */
  public static PrincipalKind fromCode(int code) {
    return PersistedEnum.fromCode(PrincipalKind.class, code);
  }
}
