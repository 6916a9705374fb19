package dev.coffer.server.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret in the clear: a generated credential, an access token or a decrypted vaulted
 * value. It has no useful {@code toString}, {@code equals} or {@code hashCode}, so it
 * cannot leak through logging, string concatenation or collections; {@link #close()}
 * overwrites the bytes. Holders should use try-with-resources.
 */
public final class SecretValue implements AutoCloseable {
  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes} (does not copy); the caller must not reuse the array. */
  public static SecretValue adopt(byte[] bytes) {
    return new SecretValue(bytes);
  }

  /** A copy of the UTF-8 encoding of {@code text}. */
  public static SecretValue ofString(String text) {
    return new SecretValue(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The live backing bytes, for crypto primitives only. Callers must not keep, log or
   * modify the array.
   */
  public byte[] bytes() {
    if (wiped) {
      throw new IllegalStateException("secret value already wiped");
    }
    return bytes;
  }

  /** The value as text, for the single response that shows it. */
  public String reveal() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public void close() {
    wiped = true;
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "SecretValue[redacted]";
  }
}
