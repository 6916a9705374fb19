package dev.coffer.server.domain;

/** Lifecycle state, always computed against the clock at the moment of a call. */
public enum SecretState {
  ACTIVE,
  EXPIRED,
  REVOKED,
  /** Reported leaked: neither verifies nor reveals until rotated and released. */
  QUARANTINED
}
