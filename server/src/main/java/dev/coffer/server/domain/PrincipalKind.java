package dev.coffer.server.domain;

/** A person or a workload. */
public enum PrincipalKind {
  USER,
  SERVICE
}
