package dev.coffer.server.crypto;

import dev.coffer.server.domain.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32;

/**
 * The text format of every value the vault generates, modelled on GitHub's token format:
 * {@code prefix + body + checksum}, where the body is 32 CSPRNG bytes as exactly 43 base-62
 * digits (left-padded with '0') and the checksum is the CRC32 of {@code prefix + body} as
 * exactly 6 base-62 digits. Every value of every format is {@value #LENGTH} ASCII characters
 * long (7-character prefix, 43, 6).
 *
 * <p>The prefix lets secret scanners recognise a leaked value; the checksum catches typos
 * and lets a scanner discard false positives offline. Neither is a security control: the
 * CRC is public and unkeyed, and all the strength is in the 256 random bits of the body.
 */
public enum ValueFormat {
  CLIENT_SECRET("cfr_cs_"),
  ACCESS_TOKEN("cfr_at_"),
  STORED_CREDENTIAL("cfr_sc_"),
  SCOPE_SECRET("cfr_ss_");

  /** Random bytes in every value: 256 bits. */
  public static final int ENTROPY_BYTES = 32;
  /** Total length in characters of a value of any format. */
  public static final int LENGTH = 56;
  /** Characters of a value kept as its hint, counted after the prefix. */
  public static final int HINT_LENGTH = 3;

  static final int BODY_LENGTH = 43;
  static final int CHECKSUM_LENGTH = 6;

  private final String prefix;

  ValueFormat(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** Whether {@code candidate} has this format: length, prefix, alphabet and checksum. */
  public boolean isWellFormed(CharSequence candidate) {
    if (candidate == null || candidate.length() != LENGTH) {
      return false;
    }
    byte[] ascii = new byte[LENGTH];
    try {
      for (int i = 0; i < LENGTH; i++) {
        char c = candidate.charAt(i);
        if (c > 0x7f) {
          return false;
        }
        ascii[i] = (byte) c;
      }
      return wellFormed(ascii);
    } finally {
      Arrays.fill(ascii, (byte) 0); // a copy of a possibly secret value
    }
  }

  /** As {@link #isWellFormed(CharSequence)}, reading the value's bytes in place. */
  public boolean isWellFormed(SecretValue candidate) {
    if (candidate == null) {
      return false;
    }
    return wellFormed(candidate.bytes());
  }

  /**
   * The first {@value #HINT_LENGTH} characters after the prefix, kept to help people tell
   * their secrets apart (about 18 of the 256 random bits).
   *
   * @throws IllegalArgumentException if {@code value} does not start with this prefix
   */
  public String hint(CharSequence value) {
    return hint(value.length(), value::charAt);
  }

  /** As {@link #hint(CharSequence)}. */
  public String hint(SecretValue value) {
    byte[] bytes = value.bytes();
    return hint(bytes.length, i -> bytes[i] & 0xff);
  }

  /** The format {@code candidate} is well formed in, if any. Never throws. */
  public static Optional<ValueFormat> detect(CharSequence candidate) {
    for (ValueFormat format : values()) {
      if (format.isWellFormed(candidate)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /** As {@link #detect(CharSequence)}. */
  public static Optional<ValueFormat> detect(SecretValue candidate) {
    for (ValueFormat format : values()) {
      if (format.isWellFormed(candidate)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /**
   * Encodes {@link #ENTROPY_BYTES} random bytes as a value in this format, as ASCII bytes.
   * Consumes {@code entropy}: it is zero afterwards.
   */
  byte[] encode(byte[] entropy) {
    if (entropy.length != ENTROPY_BYTES) {
      throw new IllegalArgumentException("need " + ENTROPY_BYTES + " random bytes");
    }
    byte[] out = new byte[LENGTH];
    byte[] prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefixBytes, 0, out, 0, prefixBytes.length);
    Base62.encode(entropy, out, prefixBytes.length, BODY_LENGTH);
    CRC32 crc = new CRC32();
    crc.update(out, 0, LENGTH - CHECKSUM_LENGTH);
    Base62.encode(crc.getValue(), out, LENGTH - CHECKSUM_LENGTH, CHECKSUM_LENGTH);
    Arrays.fill(entropy, (byte) 0);
    return out;
  }

  /** Length, prefix, alphabet, then one CRC over the checked part (on every verify). */
  private boolean wellFormed(byte[] value) {
    if (value.length != LENGTH) {
      return false;
    }
    int checked = LENGTH - CHECKSUM_LENGTH;
    for (int i = 0; i < checked; i++) {
      int c = value[i] & 0xff;
      boolean ok = i < prefix.length() ? c == prefix.charAt(i) : Base62.isDigit(c);
      if (!ok) {
        return false;
      }
    }
    CRC32 crc = new CRC32();
    crc.update(value, 0, checked);
    byte[] expected = new byte[CHECKSUM_LENGTH];
    Base62.encode(crc.getValue(), expected, 0, CHECKSUM_LENGTH);
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      if (value[checked + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private String hint(int length, IntUnaryOperator charAt) {
    int end = prefix.length() + HINT_LENGTH;
    boolean prefixed = length >= end;
    for (int i = 0; prefixed && i < prefix.length(); i++) {
      prefixed = charAt.applyAsInt(i) == prefix.charAt(i);
    }
    if (!prefixed) {
      throw new IllegalArgumentException("value does not have the " + name() + " format");
    }
    char[] hint = new char[HINT_LENGTH];
    for (int i = 0; i < HINT_LENGTH; i++) {
      hint[i] = (char) charAt.applyAsInt(prefix.length() + i);
    }
    return new String(hint);
  }
}
