package dev.coffer.server.domain;

/** Lifecycle state, always computed against the clock at the moment of a call. */
public enum SecretState {
  ACTIVE,
  EXPIRED,
  REVOKED
}
