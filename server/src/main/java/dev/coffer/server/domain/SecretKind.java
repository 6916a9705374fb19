package dev.coffer.server.domain;

/** What a secret is. */
public enum SecretKind {
  /** Generated OAuth client secret of an application. */
  CLIENT_SECRET,
  /** A credential imported from another identity provider; always vaulted. */
  STORED_CREDENTIAL,
  /** Generated secret of a {@link Scope}. */
  SCOPE_SECRET,
  /**
   * A key pair of a signed-JWT application: the vault keeps the public key (see
   * {@link PublicKeyInfo}); the private key is shown once, or vaulted.
   */
  SIGNING_KEY;

  /** Whether the vault generated the value (so it can be rotated and found when leaked). */
  public boolean generated() {
    return this != STORED_CREDENTIAL;
  }
}
