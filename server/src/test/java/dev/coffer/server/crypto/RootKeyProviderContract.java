package dev.coffer.server.crypto;

import static dev.coffer.server.crypto.TestKeys.ad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RootKeyProvider} promises, whatever keeps the key: its AEAD binds
 * associated data, a vault keyring created under it opens again under the same key and is
 * refused as a wrong root key under another one of the same kind, and neither its
 * description nor its {@code toString} shows key material.
 */
abstract class RootKeyProviderContract {

  /** A new root key: how to load it (again on each call) and its secret material as text. */
  record NewKey(Supplier<RootKeyProvider> load, String material) {}

  protected abstract NewKey newKey() throws Exception;

  @Test
  void rootAead_roundTrips_andBindsAssociatedData() throws Exception {
    Aead aead = newKey().load().get().rootAead();
    byte[] ciphertext = aead.encrypt(ad("keyset"), ad("coffer/keyset/kek"));
    assertArrayEquals(ad("keyset"), aead.decrypt(ciphertext, ad("coffer/keyset/kek")));
    assertThrows(GeneralSecurityException.class,
        () -> aead.decrypt(ciphertext, ad("coffer/keyset/verifier-mac")));
  }

  @Test
  void keyringCreatedUnderIt_opensAgainWithTheSameKey() throws Exception {
    NewKey key = newKey();
    MapKeysetStore store = new MapKeysetStore();
    Keyring created = Keyring.open(key.load().get(), store);
    SealedSecret sealed = created.envelopeCipher().seal(SecretValue.ofString("v"), ad("ad"));

    Keyring reopened = Keyring.open(key.load().get(), store);

    assertFalse(reopened.createdNow());
    try (SecretValue opened = reopened.envelopeCipher().open(sealed, ad("ad"))) {
      assertEquals("v", opened.reveal());
    }
  }

  @Test
  void keyringCreatedUnderIt_isRefusedUnderAnotherKey_asAWrongRootKey() throws Exception {
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(newKey().load().get(), store);
    RootKeyProvider other = newKey().load().get();

    KeyringException e = assertThrows(KeyringException.class, () -> Keyring.open(other, store));

    assertEquals(Keyring.WRONG_ROOT_KEY, e.getMessage());
  }

  @Test
  void descriptionAndToString_neverShowKeyMaterial() throws Exception {
    NewKey key = newKey();
    RootKeyProvider provider = key.load().get();
    assertFalse(provider.description().isBlank());
    assertTrue(key.material().length() >= 16, "the test checks real material");
    assertFalse(provider.description().contains(key.material()), provider.description());
    assertFalse(provider.toString().contains(key.material()), provider.toString());
  }

  /** The base64 key bytes inside a Tink JSON keyset. */
  static String keyValue(String keysetJson) {
    var m = java.util.regex.Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(keysetJson);
    assertTrue(m.find(), keysetJson.length() + " chars without a key value");
    return m.group(1);
  }
}
