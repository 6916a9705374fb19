package dev.coffer.server.domain;

/** What a secret is. */
public enum SecretKind {
  /** Generated OAuth client secret of an application. */
  CLIENT_SECRET,
  /** A credential imported from another identity provider; always vaulted. */
  STORED_CREDENTIAL
}
