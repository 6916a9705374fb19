package dev.coffer.server.audit;

import java.util.Objects;

/**
 * What the audit log needs to sign and check its checkpoints: in production the vault's
 * {@code audit-signing} keyset (Tink ECDSA P-256), whose private key never reaches the
 * store in the clear. A signature binds its data to a context, so a checkpoint signature
 * cannot be replayed as anything else.
 */
public interface CheckpointSigner {

  byte[] sign(byte[] data, byte[] context);

  /** True only for a signature this signer's key made over {@code data} and {@code context}. */
  boolean verify(byte[] signature, byte[] data, byte[] context);

  /** Signing half, e.g. {@code crypto.AuditSignature::sign}. */
  @FunctionalInterface
  interface Sign {
    byte[] sign(byte[] data, byte[] context);
  }

  /** Verifying half, e.g. {@code crypto.AuditSignature::verify}. */
  @FunctionalInterface
  interface Verify {
    boolean verify(byte[] signature, byte[] data, byte[] context);
  }

  /** Joins two method references into a signer (the wiring adapts crypto to audit here). */
  static CheckpointSigner of(Sign sign, Verify verify) {
    Objects.requireNonNull(sign, "sign");
    Objects.requireNonNull(verify, "verify");
    return new CheckpointSigner() {
      @Override
      public byte[] sign(byte[] data, byte[] context) {
        return sign.sign(data, context);
      }

      @Override
      public boolean verify(byte[] signature, byte[] data, byte[] context) {
        return verify.verify(signature, data, context);
      }
    };
  }
}
