package dev.coffer.server.crypto;

import com.google.crypto.tink.Mac;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link VerifierMac} on a Tink HMAC-SHA256 {@link Mac} (256-bit tag, key id prefix so
 * verifiers survive key rotation). The MAC input is {@code len(context) || context ||
 * value} with a 4-byte big-endian length, so no context/value split is ambiguous.
 * Verification is Tink's constant-time {@link Mac#verifyMac}. The MAC input, which holds
 * the value, is wiped after use. Thread-safe.
 */
public final class TinkVerifierMac implements VerifierMac {
  private final Mac mac;

  TinkVerifierMac(Mac mac) {
    this.mac = Objects.requireNonNull(mac, "mac");
  }

  @Override
  public byte[] compute(SecretValue value, byte[] context) {
    byte[] input = macInput(value, context);
    try {
      return mac.computeMac(input);
    } catch (GeneralSecurityException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "verifier computation failed", e);
    } finally {
      Arrays.fill(input, (byte) 0);
    }
  }

  @Override
  public boolean verify(byte[] verifier, SecretValue candidate, byte[] context) {
    if (verifier == null || verifier.length == 0 || candidate == null) {
      return false;
    }
    byte[] input = macInput(candidate, context);
    try {
      mac.verifyMac(verifier, input);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    } finally {
      Arrays.fill(input, (byte) 0);
    }
  }

  private static byte[] macInput(SecretValue value, byte[] context) {
    Objects.requireNonNull(context, "context");
    byte[] bytes = value.bytes();
    return ByteBuffer.allocate(Integer.BYTES + context.length + bytes.length)
        .putInt(context.length)
        .put(context)
        .put(bytes)
        .array();
  }
}
