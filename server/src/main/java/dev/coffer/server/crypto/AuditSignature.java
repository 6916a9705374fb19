package dev.coffer.server.crypto;

/**
 * Signs and verifies the audit trail's checkpoints with the vault's {@code audit-signing}
 * keyset (Tink ECDSA P-256). The private key lives only in the keyset, encrypted by the
 * root key, so someone who can write the database but does not hold the root key can
 * neither forge a checkpoint nor re-sign a rewritten chain. Every signature is bound to a
 * context: a signature made for one context never verifies for another.
 */
public interface AuditSignature {

  /**
   * Signs {@code data} for {@code context}.
   *
   * @throws dev.coffer.server.domain.CofferException AUDIT_UNAVAILABLE if signing fails
   */
  byte[] sign(byte[] data, byte[] context);

  /** True only if {@code signature} was made by this keyset over {@code data} and {@code context}. */
  boolean verify(byte[] signature, byte[] data, byte[] context);
}
