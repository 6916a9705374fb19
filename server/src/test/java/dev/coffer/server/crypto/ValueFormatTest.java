package dev.coffer.server.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.SecretValue;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ValueFormatTest {
  private final SecretGenerator generator = new SecretGenerator();

  @Test
  void knownEntropy_encodesToAFixedValue() {
    byte[] zeros = new byte[32];
    assertEquals("cfr_cs_" + "0".repeat(43),
        new String(ValueFormat.CLIENT_SECRET.encode(zeros), 0, 50, US_ASCII));
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    String max = new String(ValueFormat.ACCESS_TOKEN.encode(ones), US_ASCII);
    // 2^256 - 1 in base 62, checked against BigInteger.
    BigInteger allOnes = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    String expectedBody = Base62Test.reference(allOnes, 43);
    assertEquals("cfr_at_" + expectedBody, max.substring(0, 50));
    assertTrue(ValueFormat.ACCESS_TOKEN.isWellFormed(max));
    assertTrue(Arrays.equals(new byte[32], ones), "entropy not wiped");
  }

  @Test
  void everyValue_hasTheDocumentedConstantLength() {
    for (ValueFormat format : ValueFormat.values()) {
      for (int i = 0; i < 100; i++) {
        try (SecretValue value = generator.generate(format)) {
          assertEquals(56, value.length());
          assertEquals(ValueFormat.LENGTH, value.length());
        }
      }
    }
  }

  @Test
  void oneCharacterTypo_failsChecksum() {
    String value = generator.generate(ValueFormat.CLIENT_SECRET).reveal();
    String alphabet = Base62.ALPHABET;
    for (int i = 7; i < value.length(); i++) {
      char original = value.charAt(i);
      char typo = alphabet.charAt((alphabet.indexOf(original) + 1) % alphabet.length());
      String mistyped = value.substring(0, i) + typo + value.substring(i + 1);
      assertFalse(ValueFormat.CLIENT_SECRET.isWellFormed(mistyped), "typo at " + i);
    }
    assertTrue(ValueFormat.CLIENT_SECRET.isWellFormed(value));
  }

  @Test
  void adjacentTransposition_failsChecksum() {
    String value = generator.generate(ValueFormat.ACCESS_TOKEN).reveal();
    for (int i = 7; i < value.length() - 1; i++) {
      if (value.charAt(i) != value.charAt(i + 1)) {
        String swapped = value.substring(0, i) + value.charAt(i + 1) + value.charAt(i)
            + value.substring(i + 2);
        assertFalse(ValueFormat.ACCESS_TOKEN.isWellFormed(swapped), "swap at " + i);
      }
    }
  }

  @Test
  void malformedCandidates_areRejectedWithoutThrowing() {
    String value = generator.generate(ValueFormat.CLIENT_SECRET).reveal();
    ValueFormat f = ValueFormat.CLIENT_SECRET;
    assertFalse(f.isWellFormed((CharSequence) null));
    assertFalse(f.isWellFormed((SecretValue) null));
    assertFalse(f.isWellFormed(""));
    assertFalse(f.isWellFormed(value.substring(1)));
    assertFalse(f.isWellFormed(value + "0"));
    assertFalse(f.isWellFormed(value.replace("cfr_cs_", "cfr_at_")));
    assertFalse(f.isWellFormed(value.substring(0, 20) + "-" + value.substring(21)));
    assertFalse(f.isWellFormed(value.substring(0, 20) + "é" + value.substring(21)));
    assertFalse(ValueFormat.ACCESS_TOKEN.isWellFormed(value));
  }

  @Test
  void characterOutsideTheAlphabet_isRejectedEvenWithAValidChecksum() {
    String body = "-" + "0".repeat(42);
    String candidate = "cfr_cs_" + body + checksumOf("cfr_cs_" + body);
    String valid = "cfr_cs_" + "0".repeat(43) + checksumOf("cfr_cs_" + "0".repeat(43));

    assertTrue(ValueFormat.CLIENT_SECRET.isWellFormed(valid));
    assertFalse(ValueFormat.CLIENT_SECRET.isWellFormed(candidate));
  }

  private static String checksumOf(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(US_ASCII));
    byte[] out = new byte[6];
    Base62.encode(crc.getValue(), out, 0, 6);
    return new String(out, US_ASCII);
  }

  @Test
  void detect_findsTheFormatOrNothing() {
    for (ValueFormat format : ValueFormat.values()) {
      try (SecretValue value = generator.generate(format)) {
        assertEquals(Optional.of(format), ValueFormat.detect(value));
        assertEquals(Optional.of(format), ValueFormat.detect(value.reveal()));
      }
    }
    assertEquals(Optional.empty(), ValueFormat.detect("ghp_notours"));
    assertEquals(Optional.empty(), ValueFormat.detect((CharSequence) null));
  }

  @Test
  void hint_isFirstThreeCharsAfterPrefix() {
    try (SecretValue value = generator.generate(ValueFormat.STORED_CREDENTIAL)) {
      String text = value.reveal();
      assertEquals(text.substring(7, 10), ValueFormat.STORED_CREDENTIAL.hint(text));
      assertEquals(text.substring(7, 10), ValueFormat.STORED_CREDENTIAL.hint(value));
    }
    assertEquals("abc", ValueFormat.CLIENT_SECRET.hint("cfr_cs_abcdef"));
    ValueFormat format = ValueFormat.CLIENT_SECRET;
    assertThrows(IllegalArgumentException.class, () -> format.hint("cfr_at_abcdef"));
    assertThrows(IllegalArgumentException.class, () -> format.hint("cfr_cs_ab"));
  }
}
