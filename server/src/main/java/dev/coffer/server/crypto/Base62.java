package dev.coffer.server.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fixed-width base-62 digits ({@code 0-9A-Za-z}) written as ASCII bytes, working in place
 * so that no copy of a secret number is left in an immutable object.
 */
final class Base62 {
  static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final byte[] DIGITS = ALPHABET.getBytes(StandardCharsets.US_ASCII);
  private static final int DIGITS_PER_CHUNK = 5;
  private static final long CHUNK_DIVISOR = 62L * 62 * 62 * 62 * 62;

  private Base62() {}

  /**
   * Writes the unsigned big-endian {@code number} as {@code width} digits, most significant
   * first, left-padded with '0'. Consumes {@code number}: it is zero afterwards, whether or
   * not it fitted.
   *
   * <p>The number is divided by 62<sup>5</sup> over 32-bit limbs, five digits per pass: a
   * 32-byte value takes 9 passes of 8 limbs instead of 43 passes of 32 bytes (the byte-wise
   * division was 6 % of the server's CPU under a create load). The sequence of operations
   * does not depend on the number's value (no early exit on leading zeros).
   *
   * @throws IllegalArgumentException if the number needs more than {@code width} digits
   */
  static void encode(byte[] number, byte[] out, int offset, int width) {
    int[] limbs = toLimbs(number);
    boolean overflow = false;
    try {
      int i = offset + width - 1;
      while (i >= offset) {
        long chunk = divideInPlace(limbs);
        for (int d = 0; d < DIGITS_PER_CHUNK; d++) {
          int digit = (int) (chunk % 62);
          chunk /= 62;
          if (i >= offset) {
            out[i--] = DIGITS[digit];
          } else {
            overflow |= digit != 0;
          }
        }
      }
      for (int limb : limbs) {
        overflow |= limb != 0;
      }
    } finally {
      Arrays.fill(limbs, 0);
      Arrays.fill(number, (byte) 0);
    }
    if (overflow) {
      throw new IllegalArgumentException("number too large for " + width + " digits");
    }
  }

  /** Writes the non-negative {@code value} as {@code width} digits, left-padded with '0'. */
  static void encode(long value, byte[] out, int offset, int width) {
    long rest = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      out[i] = DIGITS[(int) (rest % 62)];
      rest /= 62;
    }
    if (rest != 0) {
      throw new IllegalArgumentException("number too large for " + width + " digits");
    }
  }

  /** True when {@code c} is a base-62 digit. */
  static boolean isDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** The big-endian {@code number} as big-endian 32-bit limbs, zero-padded in front. */
  private static int[] toLimbs(byte[] number) {
    int[] limbs = new int[(number.length + 3) / 4];
    int shift = 0;
    int limb = limbs.length - 1;
    for (int j = number.length - 1; j >= 0; j--) {
      limbs[limb] |= (number[j] & 0xff) << shift;
      shift += 8;
      if (shift == 32) {
        shift = 0;
        limb--;
      }
    }
    return limbs;
  }

  /** Divides the limbs by 62<sup>5</sup> in place and returns the remainder. */
  private static long divideInPlace(int[] limbs) {
    long remainder = 0;
    for (int j = 0; j < limbs.length; j++) {
      // remainder < 62^5 < 2^30, so the accumulator stays below 2^62.
      long acc = (remainder << 32) | (limbs[j] & 0xffffffffL);
      long quotient = acc / CHUNK_DIVISOR;
      limbs[j] = (int) quotient;
      remainder = acc - quotient * CHUNK_DIVISOR;
    }
    return remainder;
  }
}
