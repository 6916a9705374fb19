package dev.coffer.server.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Base62Test {

  @Test
  void randomNumbers_matchBigIntegerInEveryLength() {
    SplittableRandom random = new SplittableRandom(62);
    for (int length = 1; length <= 40; length++) {
      for (int n = 0; n < 50; n++) {
        byte[] number = new byte[length];
        random.nextBytes(number);
        BigInteger expected = new BigInteger(1, number);
        int width = digitsFor(length);
        assertEquals(reference(expected, width), encode(number, width),
            "length " + length + ": " + expected);
      }
    }
  }

  @Test
  void edgeValues_zeroOneAndAllOnes() {
    assertEquals("0".repeat(43), encode(new byte[32], 43));
    byte[] one = new byte[32];
    one[31] = 1;
    assertEquals("0".repeat(42) + "1", encode(one, 43));
    byte[] sixtyTwo = new byte[32];
    sixtyTwo[31] = 62;
    assertEquals("0".repeat(41) + "10", encode(sixtyTwo, 43));
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    assertEquals(reference(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), 43),
        encode(ones, 43));
  }

  @Test
  void exactFit_isAcceptedAndOneMoreDigitIsRefused() {
    // 62^7 - 1 is the largest 7-digit number; 62^7 needs 8 digits.
    BigInteger limit = BigInteger.valueOf(62).pow(7);
    assertEquals("zzzzzzz", encode(bytes(limit.subtract(BigInteger.ONE)), 7));
    byte[] tooLarge = bytes(limit);
    byte[] out = new byte[7];
    assertThrows(IllegalArgumentException.class, () -> Base62.encode(tooLarge, out, 0, 7));
  }

  @Test
  void numberIsWipedWhetherOrNotItFits() {
    byte[] fits = new byte[32];
    Arrays.fill(fits, (byte) 0x5a);
    Base62.encode(fits, new byte[43], 0, 43);
    assertArrayEquals(new byte[32], fits);

    byte[] tooLarge = new byte[32];
    Arrays.fill(tooLarge, (byte) 0x5a);
    assertThrows(IllegalArgumentException.class,
        () -> Base62.encode(tooLarge, new byte[10], 0, 10));
    assertArrayEquals(new byte[32], tooLarge);
  }

  @Test
  void writesOnlyItsWindowOfTheOutput() {
    byte[] out = new byte[12];
    Arrays.fill(out, (byte) '.');
    byte[] number = {0, 0, 0, 61};
    Base62.encode(number, out, 3, 6);
    assertEquals("...00000z...", new String(out, US_ASCII));
  }

  private static String encode(byte[] number, int width) {
    byte[] out = new byte[width];
    Base62.encode(number.clone(), out, 0, width);
    return new String(out, US_ASCII);
  }

  /** Digits that always hold a number of {@code length} bytes. */
  private static int digitsFor(int length) {
    return (int) Math.ceil(length * 8 / (Math.log(62) / Math.log(2)));
  }

  /** {@code n} in {@code width} base-62 digits by BigInteger division: the reference. */
  static String reference(BigInteger n, int width) {
    StringBuilder out = new StringBuilder();
    BigInteger base = BigInteger.valueOf(62);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(base);
      out.append(Base62.ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    while (out.length() < width) {
      out.append('0');
    }
    return out.reverse().toString();
  }

  private static byte[] bytes(BigInteger n) {
    byte[] signed = n.toByteArray();
    return signed[0] == 0 ? Arrays.copyOfRange(signed, 1, signed.length) : signed;
  }
}
