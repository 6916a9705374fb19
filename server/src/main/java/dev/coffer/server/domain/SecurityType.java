package dev.coffer.server.domain;

/** How an application authenticates. */
public enum SecurityType {
  CLIENT_SECRET,
  SIGNED_JWT
}
