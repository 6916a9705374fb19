package dev.coffer.server.domain;

/** Signature algorithm of a JWT signing key, by its RFC 7518 name. */
public enum KeyAlgorithm {
  /** ECDSA on P-256 with SHA-256. */
  ES256,
  /** RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit modulus. */
  RS256
}
