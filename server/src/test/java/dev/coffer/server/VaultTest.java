package dev.coffer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.RootKeyProviders;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.Table;
import dev.coffer.server.testing.FakeKms;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {

  @TempDir Path dir;

  @Test
  void wrongRootKey_isAClearStartupError() {
    new TestVault(dir).close();
    DevRootKeyFile other = DevRootKeyFile.loadOrCreate(dir.resolve("other-root.json"));
    KeyringException e = assertThrows(KeyringException.class,
        () -> Vault.open(dir.resolve("db"), other, Clock.systemUTC(), 5));
    assertTrue(e.getMessage().contains("root key"), e.getMessage());
  }

  @Test
  void reopenedVault_keepsEverything_andVaultedValuesStillDecrypt() {
    String id;
    String value;
    String clientId;
    try (TestVault t = new TestVault(dir)) {
      var admin = t.admin();
      clientId = t.vault.directory().applications().create(admin, "payments_api", "production",
          null, null, "").application().clientId();
      SecretMinter.Minted m = TestSecrets.create(t.vault, admin, clientId, SecretRequest.builder()
          .displayName("v").location("/").vaulted(true).preapproveOwner(true).build());
      id = m.stored().metadata().secretId();
      value = m.value().reveal();
    }
    try (TestVault t = new TestVault(dir)) {
      assertEquals(null, t.adminToken, "bootstrap happens once");
      try (SecretValue v = t.vault.secrets().reader().reveal(t.admin(), id)) {
        assertEquals(value, v.reveal());
      }
      try (SecretValue v = SecretValue.ofString(value)) {
        assertTrue(t.vault.secrets().verifier().verify(t.admin(), clientId, v).match());
      }
    }
  }

  @Test
  void tamperedCiphertextInStore_isDataLossForThatSecretOnly() throws Exception {
    try (TestVault t = new TestVault(dir)) {
      var admin = t.admin();
      String clientId = t.vault.directory().applications().create(admin, "payments_api",
          "production", null, null, "").application().clientId();
      SecretRequest vaulted = SecretRequest.builder().displayName("v").location("/").vaulted(true)
          .preapproveOwner(true).build();
      String damaged = TestSecrets.create(t.vault, admin, clientId, vaulted).stored().metadata()
          .secretId();
      String healthy = TestSecrets.create(t.vault, admin, clientId, vaulted).stored().metadata()
          .secretId();
      byte[] key = Keys.builder().str("default").str(damaged).build();
      var rec = dev.coffer.server.store.records.pb.SecretRec.parseFrom(
          t.vault.storage().store().get(Table.SECRETS, key).orElseThrow());
      byte[] ciphertext = rec.getCiphertext().toByteArray();
      ciphertext[ciphertext.length - 5] ^= 0x01;
      byte[] record = rec.toBuilder()
          .setCiphertext(com.google.protobuf.ByteString.copyFrom(ciphertext)).build()
          .toByteArray();
      t.vault.storage().store().commit(new Changes().put(Table.SECRETS, key, record));

      CofferException e = assertThrows(CofferException.class,
          () -> t.vault.secrets().reader().reveal(admin, damaged));
      assertEquals(Reason.CIPHERTEXT_CORRUPT, e.reason());
      t.vault.secrets().reader().reveal(admin, healthy).close();
    }
  }

  @Test
  void ciphertextCopiedOntoAnotherRecord_failsToOpen() throws Exception {
    try (TestVault t = new TestVault(dir)) {
      var admin = t.admin();
      String clientId = t.vault.directory().applications().create(admin, "payments_api",
          "production", null, null, "").application().clientId();
      SecretRequest vaulted = SecretRequest.builder().displayName("v").location("/").vaulted(true)
          .preapproveOwner(true).build();
      StoredSecret a = TestSecrets.create(t.vault, admin, clientId, vaulted).stored();
      StoredSecret b = TestSecrets.create(t.vault, admin, clientId, vaulted).stored();
      var repo = new dev.coffer.server.store.records.SecretRepository(t.vault.storage().store());
      Changes changes = new Changes();
      repo.stage(changes, new StoredSecret(b.metadata(), b.verifier(), a.sealed()));
      t.vault.storage().store().commit(changes);
      CofferException e = assertThrows(CofferException.class,
          () -> t.vault.secrets().reader().reveal(admin, b.metadata().secretId()));
      assertEquals(Reason.CIPHERTEXT_CORRUPT, e.reason());
    }
  }

  @Test
  void rootKeyIsUsedToOpenTheVaultAndOnKeysetChanges_neverPerRequest() throws Exception {
    CountingRoot root = new CountingRoot(RootKeyProviders.standard()
        .withKms(FakeKms.INTEGRATION).open(FakeKms.newKeyUri()));
    try (TestVault t = new TestVault(dir, root)) {
      int afterOpen = root.calls.get();
      assertTrue(afterOpen > 0, "opening an empty vault encrypts its keysets");
      var admin = t.admin();
      String clientId = t.vault.directory().applications().create(admin, "payments_api",
          "production", null, null, "").application().clientId();
      for (int i = 0; i < 20; i++) {
        SecretMinter.Minted m = TestSecrets.create(t.vault, admin, clientId, SecretRequest.builder()
            .displayName("v").location("/").vaulted(true).preapproveOwner(true).build());
        try (SecretValue v = t.vault.secrets().reader().reveal(admin, m.stored().metadata()
            .secretId())) {
          assertTrue(t.vault.secrets().verifier().verify(admin, clientId, v).match());
        }
      }
      assertEquals(afterOpen, root.calls.get(), "no root key (KMS) call per request");

      t.vault.keys().keyring().kek().rotate();
      assertEquals(afterOpen + 1, root.calls.get(), "a KEK rotation re-encrypts one keyset");
    }
    try (TestVault reopened = new TestVault(dir, root)) {
      assertEquals(null, reopened.adminToken, "the same KMS key opens the vault again");
    }
  }

  /** Counts root AEAD operations: each would be one KMS request. */
  private static final class CountingRoot implements RootKeyProvider {
    final AtomicInteger calls = new AtomicInteger();
    private final RootKeyProvider delegate;

    CountingRoot(RootKeyProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public Aead rootAead() {
      Aead aead = delegate.rootAead();
      return new Aead() {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] ad) throws GeneralSecurityException {
          calls.incrementAndGet();
          return aead.encrypt(plaintext, ad);
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] ad) throws GeneralSecurityException {
          calls.incrementAndGet();
          return aead.decrypt(ciphertext, ad);
        }
      };
    }

    @Override
    public String description() {
      return "counting " + delegate.description();
    }
  }
}
