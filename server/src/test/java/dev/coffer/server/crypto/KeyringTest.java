package dev.coffer.server.crypto;

import static dev.coffer.server.crypto.TestKeys.ad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.mac.HmacKey;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.signature.EcdsaPrivateKey;
import com.google.crypto.tink.util.SecretBytes;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.testing.StorageScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {
  private static final byte[] AD = ad("tenant-1/secret-1/v1");

  @TempDir Path dir;

  @Test
  void firstOpen_createsAllFiveKeysetsInOneWrite() {
    MapKeysetStore store = new MapKeysetStore();
    Keyring keyring = Keyring.open(TestKeys.rootKey(dir, "root"), store);
    assertTrue(keyring.createdNow());
    assertEquals(1, store.writeAllCalls);
    assertEquals(Set.of("kek", "verifier-mac", "lookup-prf", "audit-signing", "page-token"),
        store.entries.keySet());
  }

  @Test
  void vaultCreatedBeforePageTokens_getsThePageTokenKeysetAdded_andKeepsIt() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(root, store);
    byte[] kek = store.entries.get("kek");
    store.entries.remove("page-token");

    Keyring upgraded = Keyring.open(root, store);

    assertFalse(upgraded.createdNow());
    assertEquals(2, store.writeAllCalls);
    assertEquals(kek, store.entries.get("kek"));
    byte[] token = upgraded.pageTokens().seal(ad("cursor"), ad("listing-a"));
    Keyring reopened = Keyring.open(root, store);
    assertEquals("cursor", new String(reopened.pageTokens().open(token, ad("listing-a"))
        .orElseThrow(), StandardCharsets.UTF_8));
    assertTrue(reopened.pageTokens().open(token, ad("listing-b")).isEmpty());
    assertEquals(2, store.writeAllCalls);
  }

  @Test
  void vaultCreatedBeforeAuditSigning_getsTheSigningKeysetAdded_andKeepsItsOtherKeys() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    SealedSecret sealed =
        Keyring.open(root, store).envelopeCipher().seal(SecretValue.ofString("old"), AD);
    byte[] kek = store.entries.get("kek");
    store.entries.remove("audit-signing");

    Keyring upgraded = Keyring.open(root, store);

    assertFalse(upgraded.createdNow());
    assertEquals(2, store.writeAllCalls);
    assertTrue(store.entries.containsKey("audit-signing"));
    assertEquals(kek, store.entries.get("kek"));
    try (SecretValue opened = upgraded.envelopeCipher().open(sealed, AD)) {
      assertEquals("old", opened.reveal());
    }
    byte[] signature = upgraded.auditSignature().sign(AD, ad("ctx"));
    assertTrue(Keyring.open(root, store).auditSignature().verify(signature, AD, ad("ctx")));
    assertEquals(2, store.writeAllCalls);
  }

  @Test
  void missingAuditSigning_withAWrongRootKey_isRefusedAndNothingIsWritten() {
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(TestKeys.rootKey(dir, "rootA"), store);
    store.entries.remove("audit-signing");

    assertThrows(KeyringException.class,
        () -> Keyring.open(TestKeys.rootKey(dir, "rootB"), store));

    assertEquals(1, store.writeAllCalls);
    assertFalse(store.entries.containsKey("audit-signing"));
  }

  @Test
  void onlyTheSigningKeysetPresent_isAnIncompleteStore() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(root, store);
    store.entries.keySet().retainAll(Set.of("audit-signing"));

    KeyringException e = assertThrows(KeyringException.class, () -> Keyring.open(root, store));

    assertTrue(e.getMessage().contains("kek"), e.getMessage());
    assertEquals(1, store.writeAllCalls);
  }

  @Test
  void auditSignature_verifiesItsOwnSignature_afterReopening() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    byte[] signature = Keyring.open(root, store).auditSignature().sign(AD, ad("ctx"));

    assertTrue(Keyring.open(root, store).auditSignature().verify(signature, AD, ad("ctx")));
  }

  @Test
  void auditSignature_failsForOtherDataContextOrKey() {
    AuditSignature mine = TestKeys.keyring(dir, "a").auditSignature();
    AuditSignature theirs = TestKeys.keyring(dir, "b").auditSignature();
    byte[] signature = mine.sign(AD, ad("ctx"));
    byte[] tampered = signature.clone();
    tampered[tampered.length - 1] ^= 1;

    assertFalse(mine.verify(signature, ad("tenant-1/secret-1/v2"), ad("ctx")));
    assertFalse(mine.verify(signature, AD, ad("other")));
    assertFalse(mine.verify(tampered, AD, ad("ctx")));
    assertFalse(mine.verify(new byte[0], AD, ad("ctx")));
    assertFalse(theirs.verify(signature, AD, ad("ctx")));
    assertTrue(theirs.verify(theirs.sign(AD, ad("ctx")), AD, ad("ctx")));
  }

  @Test
  void keyringReopened_opensOldCiphertext() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    SealedSecret sealed =
        Keyring.open(root, store).envelopeCipher().seal(SecretValue.ofString("kept"), AD);

    Keyring reopened = Keyring.open(DevRootKeyFile.load(root.path()), store);

    assertFalse(reopened.createdNow());
    assertEquals(1, store.writeAllCalls);
    try (SecretValue opened = reopened.envelopeCipher().open(sealed, AD)) {
      assertEquals("kept", opened.reveal());
    }
  }

  @Test
  void keyringReopened_verifiesOldVerifiersAndFindsOldLookupKeys() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring first = Keyring.open(root, store);
    SecretValue value = SecretValue.ofString("cfr_at_token");
    byte[] verifier = first.verifierMac().compute(value, AD);
    byte[] lookup = first.lookupKeys().primary(value);

    Keyring reopened = Keyring.open(root, store);

    assertTrue(reopened.verifierMac().verify(verifier, value, AD));
    assertEquals(HexFormat.of().formatHex(lookup),
        HexFormat.of().formatHex(reopened.lookupKeys().primary(value)));
  }

  @Test
  void wrongRootKey_isAClearStartupError() {
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(TestKeys.rootKey(dir, "rootA"), store);

    KeyringException e = assertThrows(KeyringException.class,
        () -> Keyring.open(TestKeys.rootKey(dir, "rootB"), store));

    assertEquals(
        "the root key cannot decrypt the vault keysets: wrong root key for this data dir?",
        e.getMessage());
    assertEquals(1, store.writeAllCalls);
  }

  @Test
  void swappedKeysetEntries_areRefused() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(root, store);
    byte[] kek = store.entries.get("kek");
    store.entries.put("kek", store.entries.get("verifier-mac"));
    store.entries.put("verifier-mac", kek);

    assertThrows(KeyringException.class, () -> Keyring.open(root, store));
  }

  @Test
  void incompleteStore_isRefusedAndNotOverwritten() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(root, store);
    byte[] kek = store.entries.get("kek");
    store.entries.remove("lookup-prf");

    KeyringException e = assertThrows(KeyringException.class, () -> Keyring.open(root, store));

    assertTrue(e.getMessage().contains("lookup-prf"), e.getMessage());
    assertEquals(1, store.writeAllCalls);
    assertEquals(kek, store.entries.get("kek"));
  }

  @Test
  void keysetsAreStoredEncrypted() throws GeneralSecurityException {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring.open(root, store);

    for (String name : Keyring.NAMES) {
      byte[] stored = store.entries.get(name);
      if (name.equals("audit-signing")) {
        KeysetHandle clear = TinkProtoKeysetFormat.parseEncryptedKeyset(
            stored, root.rootAead(), ad("coffer/keyset/" + name), TinkRuntime.configuration());
        byte[] priv = ((EcdsaPrivateKey) clear.getPrimary().getKey()).getPrivateValue()
            .getBigInteger(InsecureSecretKeyAccess.get()).toByteArray();
        assertFalse(StorageScan.contains(stored, priv), name + " holds its raw key");
        continue;
      }
      assertThrows(GeneralSecurityException.class,
          () -> TinkProtoKeysetFormat.parseKeyset(
              stored, InsecureSecretKeyAccess.get(), TinkRuntime.configuration()));
      byte[] ad = ("coffer/keyset/" + name).getBytes();
      KeysetHandle clear = TinkProtoKeysetFormat.parseEncryptedKeyset(
          stored, root.rootAead(), ad, TinkRuntime.configuration());
      byte[] raw = rawKey(clear.getPrimary().getKey());
      assertEquals(32, raw.length);
      assertFalse(StorageScan.contains(stored, raw), name + " holds its raw key");
      assertThrows(GeneralSecurityException.class, () -> TinkProtoKeysetFormat.parseEncryptedKeyset(
          stored, root.rootAead(), "coffer/keyset/other".getBytes(), TinkRuntime.configuration()));
    }
  }

  @Test
  void keyringToString_showsNoKeyMaterial() {
    assertEquals("Keyring[kek, verifier-mac, lookup-prf, audit-signing, page-token]",
        TestKeys.keyring(dir, "r").toString());
  }

  private static byte[] rawKey(Key key) {
    SecretBytes bytes;
    if (key instanceof AesGcmKey k) {
      bytes = k.getKeyBytes();
    } else if (key instanceof HmacKey k) {
      bytes = k.getKeyBytes();
    } else {
      bytes = ((HmacPrfKey) key).getKeyBytes();
    }
    return bytes.toByteArray(InsecureSecretKeyAccess.get());
  }
}
