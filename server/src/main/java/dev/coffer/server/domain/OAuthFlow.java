package dev.coffer.server.domain;

/** The OAuth flow an application uses. */
public enum OAuthFlow {
  CLIENT_CREDENTIALS,
  AUTHORIZATION_CODE
}
