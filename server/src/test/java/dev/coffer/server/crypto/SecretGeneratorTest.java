package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.SecretValue;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretGeneratorTest {

  @Test
  void generatedValues_areWellFormedAndDistinct() {
    SecretGenerator generator = new SecretGenerator();
    Set<String> seen = new HashSet<>();
    Set<String> hints = new HashSet<>();
    for (ValueFormat format : ValueFormat.values()) {
      for (int i = 0; i < 1000; i++) {
        try (SecretValue value = generator.generate(format)) {
          assertTrue(format.isWellFormed(value));
          String text = value.reveal();
          assertTrue(text.startsWith(format.prefix()));
          assertTrue(seen.add(text), "duplicate value");
          hints.add(format.hint(text));
        }
      }
    }
    assertTrue(hints.size() > 2500, "hints are not spread: " + hints.size());
  }

  @Test
  void generator_usesTheInjectedRandomSource() {
    SecureRandom fixed = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        java.util.Arrays.fill(bytes, (byte) 0);
      }
    };
    try (SecretValue value = new SecretGenerator(fixed).generate(ValueFormat.ACCESS_TOKEN)) {
      assertTrue(value.reveal().startsWith("cfr_at_" + "0".repeat(43)));
    }
  }

  @Test
  void generator_consumesAll256BitsOfEntropy() {
    int[] requested = new int[1];
    SecureRandom counting = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        requested[0] += bytes.length;
        super.nextBytes(bytes);
      }
    };
    new SecretGenerator(counting).generate(ValueFormat.CLIENT_SECRET).close();
    assertEquals(32, requested[0]);
  }

  @Test
  void secretValueToString_neverShowsValue() {
    try (SecretValue value = new SecretGenerator().generate(ValueFormat.CLIENT_SECRET)) {
      String text = value.reveal();
      assertEquals("SecretValue[redacted]", value.toString());
      assertFalse(String.valueOf(value).contains(text.substring(7, 17)));
      assertFalse(("" + value).contains("cfr_"));
    }
  }

  @Test
  void closedValue_isWipedAndUnusable() {
    SecretValue value = new SecretGenerator().generate(ValueFormat.CLIENT_SECRET);
    byte[] backing = value.bytes();
    value.close();
    assertTrue(java.util.Arrays.equals(new byte[ValueFormat.LENGTH], backing));
    assertThrows(IllegalStateException.class, value::reveal);
  }
}
