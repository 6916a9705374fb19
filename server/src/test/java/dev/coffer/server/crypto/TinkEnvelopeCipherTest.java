package dev.coffer.server.crypto;

import static dev.coffer.server.crypto.TestKeys.ad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.testing.StorageScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class TinkEnvelopeCipherTest {
  private static final byte[] AD = ad("tenant-1/secret-1/v1");
  private static final String TEXT = "cfr_sc_the-value-to-keep";

  @TempDir Path dir;
  private EnvelopeCipher cipher;

  @BeforeEach
  void setUp() {
    cipher = TestKeys.keyring(dir, "root").envelopeCipher();
  }

  @Test
  void sealThenOpen_roundTrips() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    try (SecretValue opened = cipher.open(sealed, AD)) {
      assertEquals(TEXT, opened.reveal());
    }
  }

  @Test
  void sealedHalves_doNotContainThePlaintext() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);
    assertFalse(StorageScan.contains(sealed.ciphertext(), plain));
    assertFalse(StorageScan.contains(sealed.wrappedDataKey(), plain));
  }

  @Test
  void eachSeal_usesAFreshDataKey() {
    SealedSecret a = cipher.seal(SecretValue.ofString(TEXT), AD);
    SealedSecret b = cipher.seal(SecretValue.ofString(TEXT), AD);
    assertFalse(Arrays.equals(a.wrappedDataKey(), b.wrappedDataKey()));
    assertFalse(Arrays.equals(a.ciphertext(), b.ciphertext()));
  }

  @Test
  void tamperedCiphertext_failsWithCiphertextCorrupt() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    for (int i = 0; i < sealed.ciphertext().length; i++) {
      SealedSecret tampered =
          new SealedSecret(sealed.wrappedDataKey(), flip(sealed.ciphertext(), i));
      assertCorrupt(() -> cipher.open(tampered, AD));
    }
  }

  @Test
  void tamperedWrappedDataKey_failsWithCiphertextCorrupt() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    for (int i = 0; i < sealed.wrappedDataKey().length; i++) {
      SealedSecret tampered =
          new SealedSecret(flip(sealed.wrappedDataKey(), i), sealed.ciphertext());
      assertCorrupt(() -> cipher.open(tampered, AD));
    }
  }

  @Test
  void ciphertextMovedToOtherSecret_failsToOpen() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    assertCorrupt(() -> cipher.open(sealed, ad("tenant-1/secret-2/v1")));
    assertCorrupt(() -> cipher.open(sealed, ad("tenant-2/secret-1/v1")));
    assertCorrupt(() -> cipher.open(sealed, ad("tenant-1/secret-1/v2")));
  }

  @Test
  void bothLayers_areBoundToTheAssociatedData() throws Exception {
    Configuration config = TinkRuntime.configuration();
    KeysetHandle kekKeyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, config);
    Aead kek = kekKeyset.getPrimitive(config, Aead.class);
    SealedSecret sealed = new TinkEnvelopeCipher(TinkEnvelopeCipher.Kek.of(kekKeyset))
        .seal(SecretValue.ofString(TEXT), AD);
    byte[] otherAd = ad("tenant-1/secret-2/v1");

    assertThrows(GeneralSecurityException.class, () -> TinkProtoKeysetFormat.parseEncryptedKeyset(
        sealed.wrappedDataKey(), kek, otherAd, config));
    Aead dataKey = TinkProtoKeysetFormat
        .parseEncryptedKeyset(sealed.wrappedDataKey(), kek, AD, config)
        .getPrimitive(config, Aead.class);
    byte[] plain = dataKey.decrypt(sealed.ciphertext(), AD);
    assertEquals(TEXT, new String(plain, StandardCharsets.UTF_8));
    assertThrows(GeneralSecurityException.class,
        () -> dataKey.decrypt(sealed.ciphertext(), otherAd));
  }

  @Test
  void swappedWrappedKeys_failToOpen() {
    SealedSecret a = cipher.seal(SecretValue.ofString(TEXT), AD);
    SealedSecret b = cipher.seal(SecretValue.ofString(TEXT), AD);
    assertCorrupt(() -> cipher.open(new SealedSecret(b.wrappedDataKey(), a.ciphertext()), AD));
    assertCorrupt(() -> cipher.open(new SealedSecret(a.wrappedDataKey(), b.ciphertext()), AD));
  }

  @Test
  void otherKeyringsKek_failsToOpen(@TempDir Path otherDir) {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    EnvelopeCipher other = TestKeys.keyring(otherDir, "other").envelopeCipher();
    assertCorrupt(() -> other.open(sealed, AD));
  }

  @Test
  void emptyOrMissingParts_failWithCiphertextCorrupt() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    assertCorrupt(() -> cipher.open(null, AD));
    assertCorrupt(() -> cipher.open(new SealedSecret(new byte[0], sealed.ciphertext()), AD));
    assertCorrupt(() -> cipher.open(new SealedSecret(sealed.wrappedDataKey(), new byte[0]), AD));
    assertCorrupt(() -> cipher.open(new SealedSecret(null, sealed.ciphertext()), AD));
    assertCorrupt(() -> cipher.open(new SealedSecret(new byte[] {1, 2, 3}, new byte[] {4}), AD));
  }

  @Test
  void missingAssociatedData_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> cipher.seal(SecretValue.ofString(TEXT), null));
    assertThrows(IllegalArgumentException.class,
        () -> cipher.seal(SecretValue.ofString(TEXT), new byte[0]));
  }

  @Test
  void sealedSecretToString_showsOnlySizes() {
    SealedSecret sealed = cipher.seal(SecretValue.ofString(TEXT), AD);
    assertFalse(sealed.toString().contains(TEXT));
    assertEquals("SealedSecret[" + sealed.wrappedDataKey().length + "+"
        + sealed.ciphertext().length + " bytes]", sealed.toString());
  }

  @Test
  void concurrentSealAndOpen_roundTrips() throws Exception {
    Thread[] threads = new Thread[8];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads.length; t++) {
      String text = TEXT + t;
      threads[t] = new Thread(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            try (SecretValue out = cipher.open(cipher.seal(SecretValue.ofString(text), AD), AD)) {
              assertEquals(text, out.reveal());
            }
          }
        } catch (Throwable e) {
          failure[0] = e;
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertNull(failure[0]);
  }

  private static void assertCorrupt(Executable open) {
    CofferException e = assertThrows(CofferException.class, open);
    assertEquals(Reason.CIPHERTEXT_CORRUPT, e.reason());
    assertEquals("vaulted value failed to decrypt: ciphertext or key damaged", e.getMessage());
  }

  private static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }
}
