package dev.coffer.server.crypto;

/**
 * Fixed-width base-62 digits ({@code 0-9A-Za-z}) written as ASCII bytes, working in place
 * so that no copy of a secret number is left in an immutable object.
 */
final class Base62 {
  static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private Base62() {}

  /**
   * Writes the unsigned big-endian {@code number} as {@code width} digits, most significant
   * first, left-padded with '0'. Consumes {@code number}: it is zero afterwards.
   *
   * @throws IllegalArgumentException if the number needs more than {@code width} digits
   */
  static void encode(byte[] number, byte[] out, int offset, int width) {
    for (int i = offset + width - 1; i >= offset; i--) {
      out[i] = (byte) ALPHABET.charAt(divideInPlace(number));
    }
    for (byte b : number) {
      if (b != 0) {
        throw new IllegalArgumentException("number too large for " + width + " digits");
      }
    }
  }

  /** Writes the non-negative {@code value} as {@code width} digits, left-padded with '0'. */
  static void encode(long value, byte[] out, int offset, int width) {
    long rest = value;
    for (int i = offset + width - 1; i >= offset; i--) {
      out[i] = (byte) ALPHABET.charAt((int) (rest % 62));
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

  /** Divides the big-endian number by 62 in place and returns the remainder. */
  private static int divideInPlace(byte[] number) {
    int remainder = 0;
    for (int j = 0; j < number.length; j++) {
      int acc = (remainder << 8) | (number[j] & 0xff);
      number[j] = (byte) (acc / 62);
      remainder = acc % 62;
    }
    return remainder;
  }
}
