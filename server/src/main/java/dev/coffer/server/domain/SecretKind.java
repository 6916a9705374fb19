package dev.coffer.server.domain;

/** What a secret is. */
public enum SecretKind implements PersistedEnum {
  /** Generated OAuth client secret of an application. */
  CLIENT_SECRET(0),
  /** A credential imported from another identity provider; always vaulted. */
  STORED_CREDENTIAL(1),
  /** Generated secret of a {@link Scope}. */
  SCOPE_SECRET(2),
  /**
   * A key pair of a signed-JWT application: the vault keeps the public key (see
   * {@link PublicKeyInfo}); the private key is shown once, or vaulted.
   */
  SIGNING_KEY(3);

  private final int code;

  SecretKind(int code) {
    this.code = code;
  }

  /** The stored number: the constant's position before codes existed; never reused. */
  @Override
  public int code() {
    return code;
  }

  /** The constant stored as {@code code}; an unknown code is corruption. */
  public static SecretKind fromCode(int code) {
    return PersistedEnum.fromCode(SecretKind.class, code);
  }

  /** Whether the vault generated the value (so it can be rotated and found when leaked). */
  public boolean generated() {
    return this != STORED_CREDENTIAL;
  }
}
