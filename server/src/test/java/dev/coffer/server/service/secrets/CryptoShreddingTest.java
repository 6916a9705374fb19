package dev.coffer.server.service.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.testing.StorageScan;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a secret destroys its data key, and the value's ciphertext, kept by an attacker
 * from before the delete, can no longer be opened with the KEK: the wrapped data key is
 * gone from the store, from every storage file and from the write-ahead log.
 */
class CryptoShreddingTest {

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  Application app;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    admin = t.admin();
    app = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "admin").application();
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  private StoredSecret createVaulted(String name) {
    SecretMinter.Minted m = TestSecrets.create(t.vault, admin, app.clientId(),
        SecretRequest.builder().displayName(name).location("/").vaulted(true).build());
    m.value().close();
    SecretMetadata meta = m.stored().metadata();
    return new SecretRepository(t.vault.storage().store()).get(meta.tenantId(), meta.secretId())
        .orElseThrow();
  }

  @Test
  void deletedSecret_ciphertextCannotBeOpenedWithTheKek() throws Exception {
    StoredSecret kept = createVaulted("kept");
    StoredSecret doomed = createVaulted("doomed");
    SecretMetadata m = doomed.metadata();
    byte[] ciphertext = doomed.sealed().ciphertext();
    byte[] wrapped = doomed.sealed().wrappedDataKey();
    byte[] binding = SecretBinding.of(m);
    EnvelopeCipher cipher = t.vault.keys().keyring().envelopeCipher();
    try (SecretValue before = cipher.open(doomed.sealed(), binding)) {
      assertTrue(before.length() > 0, "the value opens before the delete");
    }
    assertTrue(storageHolds(wrapped), "control: the files hold the data key before the delete");

    t.vault.secrets().secrets().delete(admin, m.secretId(), "");
    assertTrue(t.vault.secrets().shredder().shredNow() >= 1);

    byte[] key = SecretRepository.recordKey(m.tenantId(), m.secretId());
    assertFalse(t.vault.storage().store().get(Table.DATA_KEYS, key).isPresent());
    assertFalse(storageHolds(wrapped), "a storage file or WAL segment still holds the data key");
    // With the KEK and every data key the vault still has, the old ciphertext stays shut.
    List<KeyValue> remaining = t.vault.storage().store().scan(Table.DATA_KEYS, new byte[0], null,
        1000);
    assertEquals(1, remaining.size(), "only the kept secret's data key remains");
    for (KeyValue kv : remaining) {
      CofferException e = assertThrows(CofferException.class,
          () -> cipher.open(new SealedSecret(kv.value(), ciphertext), binding).close());
      assertEquals(Reason.CIPHERTEXT_CORRUPT, e.reason());
    }
    CofferException none = assertThrows(CofferException.class,
        () -> cipher.open(new SealedSecret(new byte[0], ciphertext), binding).close());
    assertEquals(Reason.CIPHERTEXT_CORRUPT, none.reason());
    // The secret that was not deleted still opens.
    SecretMetadata k = kept.metadata();
    try (SecretValue still = cipher.open(new SecretRepository(t.vault.storage().store())
        .get(k.tenantId(), k.secretId()).orElseThrow().sealed(),
        SecretBinding.of(k))) {
      assertTrue(still.length() > 0);
    }
  }

  private boolean storageHolds(byte[] value) throws IOException {
    return StorageScan.holds(StorageScan.databaseUnder(dir), value);
  }
}
