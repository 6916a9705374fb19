package dev.coffer.server.domain;

/** What a secret is. */
public enum SecretKind {
  CLIENT_SECRET
}
