package dev.coffer.server.crypto;

import static dev.coffer.server.crypto.TestKeys.ad;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.testing.StorageScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkVerifierMacTest {
  private static final String VALUE = "cfr_cs_correct-horse";

  @TempDir Path dir;
  private VerifierMac mac;

  @BeforeEach
  void setUp() {
    mac = TestKeys.keyring(dir, "root").verifierMac();
  }

  @Test
  void verifier_matchesOnlyTheSameValueAndContext() {
    byte[] verifier = mac.compute(SecretValue.ofString(VALUE), ad("t1/s1/v1"));

    assertTrue(mac.verify(verifier, SecretValue.ofString(VALUE), ad("t1/s1/v1")));
    assertFalse(mac.verify(verifier, SecretValue.ofString(VALUE + "x"), ad("t1/s1/v1")));
    assertFalse(mac.verify(verifier, SecretValue.ofString("cfr_cs_correct-horsf"), ad("t1/s1/v1")));
    assertFalse(mac.verify(verifier, SecretValue.ofString(VALUE), ad("t1/s1/v2")));
    assertFalse(mac.verify(verifier, SecretValue.ofString(VALUE), ad("t2/s1/v1")));
  }

  @Test
  void contextAndValueBoundary_isUnambiguous() {
    byte[] verifier = mac.compute(SecretValue.ofString("bc"), ad("a"));
    assertFalse(mac.verify(verifier, SecretValue.ofString("c"), ad("ab")));
  }

  @Test
  void verifier_doesNotContainTheValue() {
    byte[] verifier = mac.compute(SecretValue.ofString(VALUE), ad("ctx"));
    assertFalse(StorageScan.contains(verifier, VALUE.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void otherKeyring_cannotVerify(@TempDir Path otherDir) {
    byte[] verifier = mac.compute(SecretValue.ofString(VALUE), ad("ctx"));
    VerifierMac other = TestKeys.keyring(otherDir, "other").verifierMac();
    assertFalse(other.verify(verifier, SecretValue.ofString(VALUE), ad("ctx")));
  }

  @Test
  void malformedVerifiers_areFalseNotErrors() {
    byte[] verifier = mac.compute(SecretValue.ofString(VALUE), ad("ctx"));
    byte[] truncated = Arrays.copyOf(verifier, verifier.length - 1);
    byte[] flipped = verifier.clone();
    flipped[verifier.length - 1] ^= 1;
    assertFalse(mac.verify(null, SecretValue.ofString(VALUE), ad("ctx")));
    assertFalse(mac.verify(new byte[0], SecretValue.ofString(VALUE), ad("ctx")));
    assertFalse(mac.verify(truncated, SecretValue.ofString(VALUE), ad("ctx")));
    assertFalse(mac.verify(flipped, SecretValue.ofString(VALUE), ad("ctx")));
    assertFalse(mac.verify(verifier, null, ad("ctx")));
  }
}
