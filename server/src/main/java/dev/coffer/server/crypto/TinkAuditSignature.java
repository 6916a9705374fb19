package dev.coffer.server.crypto;

import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * {@link AuditSignature} on Tink's {@link PublicKeySign} / {@link PublicKeyVerify} (ECDSA
 * P-256, SHA-256, DER, key id prefix so signatures survive key rotation). The signed input
 * is {@code len(context) || context || data} with a 4-byte big-endian length, so no
 * context/data split is ambiguous. Verification uses the public half only. Thread-safe.
 */
public final class TinkAuditSignature implements AuditSignature {
  private final PublicKeySign signer;
  private final PublicKeyVerify verifier;

  TinkAuditSignature(PublicKeySign signer, PublicKeyVerify verifier) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public byte[] sign(byte[] data, byte[] context) {
    try {
      return signer.sign(input(data, context));
    } catch (GeneralSecurityException e) {
      throw new CofferException(Reason.AUDIT_UNAVAILABLE, "audit checkpoint signing failed", e);
    }
  }

  @Override
  public boolean verify(byte[] signature, byte[] data, byte[] context) {
    if (signature == null || signature.length == 0) {
      return false;
    }
    try {
      verifier.verify(signature, input(data, context));
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] input(byte[] data, byte[] context) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(context, "context");
    return ByteBuffer.allocate(Integer.BYTES + context.length + data.length)
        .putInt(context.length)
        .put(context)
        .put(data)
        .array();
  }
}
